package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version says which ghl this is: the module version 'go install
// …@version' recorded, else the VCS revision 'go build' in a checkout
// recorded ("+dirty" when the tree had changes), and the Go version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information) " + runtime.Version()
	}
	return buildVersion(info) + " " + runtime.Version()
}

// buildVersion is version's first part, from build information.
func buildVersion(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	var b strings.Builder
	b.WriteString("devel-" + rev)
	if modified == "true" {
		b.WriteString("+dirty")
	}
	return b.String()
}
