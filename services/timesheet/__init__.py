"""Time entries, the week and the dates they live on (in the user's time zone)."""
