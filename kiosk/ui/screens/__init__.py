"""The pages and panels a patient or staff member sees."""
