"""Dates as news prints them: partial dates (day, month or year precision) and the date
expressions of a text, resolved against a publication day. Shared by plain-text cleaning
(publication dates), extraction (event dates), incidents, corrections and evaluation."""
