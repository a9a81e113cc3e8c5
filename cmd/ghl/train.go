package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newTrainCmd is a placeholder until the train subcommand lands.
func newTrainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "train",
		Short: "(not yet available)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("train: not implemented yet")
		},
	}
}
