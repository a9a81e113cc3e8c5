package experiment

import (
	"errors"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
)

// TestMethodKeys checks that every documented key is one ParseMethod
// accepts, that a method's value of a key read back through ParseMethod
// leaves the method unchanged, and that ParseMethod's unknown-key error
// names every documented key.
func TestMethodKeys(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range MethodNames() {
		base, err := LookupMethod(name, Full)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range MethodKeys() {
			seen[k.Key] = true
			v := k.Value(base)
			if v == "custom" || v == "" {
				continue
			}
			m, err := ParseMethod(name+":"+k.Key+"="+v, Full)
			if err != nil {
				t.Errorf("%s: key %s=%s: %v", name, k.Key, v, err)
				continue
			}
			m.Name = base.Name
			if m.Options()["augment"] != base.Options()["augment"] || k.Value(m) != v {
				t.Errorf("%s: %s=%s changed the method", name, k.Key, v)
			}
		}
	}
	_, err := ParseMethod("dcnng:nosuchkey=1", Full)
	if !errors.Is(err, ghl.ErrUsage) {
		t.Fatalf("unknown key: %v", err)
	}
	for k := range seen {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("the unknown-key error does not list %q: %v", k, err)
		}
	}
	help := MethodKeysHelp("dcnng", Full)
	if !strings.Contains(help, "alpha") || !strings.Contains(help, "(dcnng: 1)") || strings.Count(help, "\n") != len(MethodKeys()) {
		t.Errorf("help:\n%s", help)
	}
}
