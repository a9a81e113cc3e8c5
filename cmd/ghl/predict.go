package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newPredictCmd is a placeholder until the predict subcommand lands.
func newPredictCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "predict",
		Short: "(not yet available)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("predict: not implemented yet")
		},
	}
}
