"""Benchmarks (not tests): ``make bench`` runs ``benchmarks.national``; the other scripts run on their own."""
