"""Report exports: the CSV file, the export job's rules and the clean-up of old reports."""
