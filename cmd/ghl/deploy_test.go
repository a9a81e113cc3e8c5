package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// k8sJob holds the fields of a batch/v1 Job the deploy manifests use;
// decoding with KnownFields refuses any other (a misspelt or misplaced
// field), which is the shape check available offline.
type k8sJob struct {
	k8sHeader `yaml:",inline"`
	Spec      struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		BackoffLimit   int    `yaml:"backoffLimit"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name      string   `yaml:"name"`
					Image     string   `yaml:"image"`
					Args      []string `yaml:"args"`
					Resources struct {
						Requests map[string]string `yaml:"requests"`
						Limits   map[string]string `yaml:"limits"`
					} `yaml:"resources"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// k8sHeader is what every Kubernetes object starts with.
type k8sHeader struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
}

type k8sPVC struct {
	k8sHeader `yaml:",inline"`
	Spec      struct {
		AccessModes []string `yaml:"accessModes"`
		Resources   struct {
			Requests map[string]string `yaml:"requests"`
		} `yaml:"resources"`
	} `yaml:"spec"`
}

func decodeStrict(t *testing.T, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := yaml.NewDecoder(f)
	d.KnownFields(true)
	if err := d.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var extra any
	if err := d.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("%s: want one document (err %v)", path, err)
	}
}

// TestK8sManifests checks deploy/k8s offline: the Jobs decode with known
// fields only, the trials are an Indexed Job sized by 'ghl plan --count' of
// its own flags, aggregate takes the same flags, and both mount the claim
// the volume manifest defines where --out points.
func TestK8sManifests(t *testing.T) {
	dir := filepath.Join("..", "..", "deploy", "k8s")
	var trials, agg k8sJob
	var pvc k8sPVC
	decodeStrict(t, filepath.Join(dir, "trials.yaml"), &trials)
	decodeStrict(t, filepath.Join(dir, "aggregate.yaml"), &agg)
	decodeStrict(t, filepath.Join(dir, "volume.yaml"), &pvc)
	if pvc.Kind != "PersistentVolumeClaim" || pvc.APIVersion != "v1" || !reflect.DeepEqual(pvc.Spec.AccessModes, []string{"ReadWriteMany"}) {
		t.Errorf("volume.yaml: %+v, want a v1 PersistentVolumeClaim, ReadWriteMany", pvc)
	}
	for _, j := range []*k8sJob{&trials, &agg} {
		s := j.Spec.Template.Spec
		if j.APIVersion != "batch/v1" || j.Kind != "Job" || s.RestartPolicy != "Never" || len(s.Containers) != 1 {
			t.Fatalf("%s: want a batch/v1 Job of one container, restartPolicy Never: %+v", j.Metadata.Name, j)
		}
		c := s.Containers[0]
		if len(s.Volumes) != 1 || s.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Metadata.Name ||
			len(c.VolumeMounts) != 1 || c.VolumeMounts[0].Name != s.Volumes[0].Name || c.VolumeMounts[0].MountPath != "/shared" {
			t.Errorf("%s: want claim %s mounted at /shared: %+v", j.Metadata.Name, pvc.Metadata.Name, s)
		}
	}
	ta, aa := trials.Spec.Template.Spec.Containers[0].Args, agg.Spec.Template.Spec.Containers[0].Args
	if len(ta) < 3 || ta[0] != "trial" || ta[1] != "--out" || !strings.HasPrefix(ta[2], "/shared/") {
		t.Fatalf("trials.yaml args %q: want trial --out /shared/… FLAGS", ta)
	}
	if len(aa) < 2 || aa[0] != "aggregate" || aa[1] != ta[2] || !reflect.DeepEqual(aa[2:], ta[3:]) {
		t.Errorf("aggregate.yaml args %q: want aggregate %s and the trials' flags %q", aa, ta[2], ta[3:])
	}
	if trials.Spec.CompletionMode != "Indexed" {
		t.Errorf("trials.yaml: completionMode %q, want Indexed (pods get JOB_COMPLETION_INDEX)", trials.Spec.CompletionMode)
	}
	stdout, stderr, err := runGHL(t, append([]string{"plan", "--count"}, ta[3:]...)...)
	if err != nil {
		t.Fatalf("ghl plan --count %q: %v\n%s", ta[3:], err, stderr)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(stdout)); trials.Spec.Completions != n {
		t.Errorf("trials.yaml: completions %d, but its flags plan %d trials", trials.Spec.Completions, n)
	}
}
