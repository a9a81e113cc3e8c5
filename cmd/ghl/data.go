package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newDataCmd is a placeholder until the data subcommand lands.
func newDataCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "data",
		Short: "(not yet available)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("data: not implemented yet")
		},
	}
}
