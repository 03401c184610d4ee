"""What a report is: the template tables as data and the typed record."""
