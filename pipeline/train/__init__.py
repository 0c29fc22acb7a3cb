"""Training the statistical components on the gold corpus (`crimeie train`)."""
