"""syncer: checks the claims that lists of open models make against the Hugging Face Hub.

Data flows one way through small stages: documents -> entries -> claims -> mapping ->
hub facts -> reconcile -> report. Each stage is a module with typed values in and out;
only the CLI prints and only the report writer writes files.
"""

__version__ = "0.1.0"
