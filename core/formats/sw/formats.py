"""Kiswahili as written in Kenya's courts and offices: day-month-year dates with the month named in
Kiswahili ("5 Machi 2025"), the 24-hour clock, and KES amounts with the same separators as in English
("1,234,567.00"): Django ships no formats for ``sw``, and without these amounts would lose their grouping."""

DATE_FORMAT = "j F Y"  # 25 Oktoba 2006
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 25 Oktoba 2006, 14:30
YEAR_MONTH_FORMAT = "F Y"  # Oktoba 2006
MONTH_DAY_FORMAT = "j F"  # 25 Oktoba
SHORT_DATE_FORMAT = "d/m/Y"  # 25/10/2006
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 25/10/2006 14:30
FIRST_DAY_OF_WEEK = 1  # Jumatatu (Monday)

# The same inputs as in English (settings.DATE_INPUT_FORMATS): ISO first, then day/month/year.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
