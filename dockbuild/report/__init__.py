"""The alignment report: evidence records in, Markdown (ko/en), JSON, JUnit and SARIF out."""
