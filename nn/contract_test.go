package nn

import "testing"

// TestContractIsRaw: only a contract with no representation and no
// representation options (an order-domain model has "order_rpm") takes raw
// time-domain windows.
func TestContractIsRaw(t *testing.T) {
	for _, tc := range []struct {
		c    Contract
		want bool
	}{
		{Contract{}, true},
		{Contract{Representation: "raw"}, true},
		{Contract{Representation: "envelope"}, false},
		{Contract{RepresentationOptions: map[string]string{"order_rpm": "1800"}}, false},
		{Contract{Representation: "raw", RepresentationOptions: map[string]string{"order_rpm": "1800"}}, false},
	} {
		if got := tc.c.IsRaw(); got != tc.want {
			t.Errorf("%+v.IsRaw() = %v, want %v", tc.c, got, tc.want)
		}
	}
}
