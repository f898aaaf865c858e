"""Answer sheets: where their marks and bubbles are (`layout`), which questions they hold
(`questions`), and reading and grading scans of them (`reader`, `grades`, `marking`)."""
