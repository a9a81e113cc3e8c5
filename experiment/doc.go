// Package experiment runs the paper's protocol: sample sets × methods ×
// seeds as independent trials, in parallel, with results written one JSON
// file per trial as they finish (so a rerun resumes), then aggregated into
// summary.json, table.md and trials.csv with mean ± std and paired tests.
package experiment
