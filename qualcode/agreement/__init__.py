"""Inter-coder agreement: units, coefficients, unitized alpha, reports, disagreements, adjudication."""
