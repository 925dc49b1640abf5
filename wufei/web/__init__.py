"""The web portal: server-rendered pages for the office, department liaisons and leaders (`wufei web`)."""
