"""Pages of the trust fund: the fund home, receipts, disbursements, the journal and balances, bank
statements and matching, the reconciliation. ``trustfund.urls`` imports each module; nothing else
imports the fund's views.

Every page declares ``page_access``: fund administrators record, raise, pay, cancel, reverse, import and
match; approvers approve or reject; auditors (with both) read everything in the fund; the unit head
opens the fund home only. The fund has no per-user scoping, so a reader reaches every fund record.
"""
