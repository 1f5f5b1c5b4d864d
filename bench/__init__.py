"""The dashboard's benchmark (python bench/run.py); see bench/run.py."""
