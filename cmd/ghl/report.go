package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newReportCmd is a placeholder until the report subcommand lands.
func newReportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report",
		Short: "(not yet available)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("report: not implemented yet")
		},
	}
}
