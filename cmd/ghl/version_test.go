package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	for _, tc := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}}, "v0.3.1"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "8d8f461a0b1c2d3e4f"}, {Key: "vcs.modified", Value: "true"}}}, "devel-8d8f461a0b1c+dirty"},
		{debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}}, "devel-abc"},
	} {
		if got := buildVersion(&tc.info); got != tc.want {
			t.Errorf("buildVersion(%+v) = %q, want %q", tc.info.Main, got, tc.want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	out, _, err := runGHL(t, "--version")
	if err != nil || !strings.HasPrefix(out, "ghl version ") || !strings.Contains(out, "go1.") {
		t.Errorf("ghl --version: %q, %v", out, err)
	}
}
