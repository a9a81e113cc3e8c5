package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newReproduceCmd is a placeholder until the reproduce subcommand lands.
func newReproduceCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "reproduce",
		Short: "(not yet available)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("reproduce: not implemented yet")
		},
	}
}
