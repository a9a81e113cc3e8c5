"""Checks exported ghl graphs with the ONNX project's own checker.

    /usr/bin/python3 check_onnx.py MODEL.onnx [...]

For each file: onnx.checker.check_model(full_check=True) (structure, operator
schemas, and shape inference with strict mode), then what ghl promises about
the graph: opset 13 in the default domain, input "window" float32
[batch, 1, L] with a symbolic batch, outputs "logits" and "probabilities"
[batch, C], and the metadata_props a deployment needs. Uses Debian's
python3-onnx (1.12); not a dependency of ghl.
"""
import json
import sys

import onnx
from onnx import TensorProto

REQUIRED_PROPS = ["classes", "healthy_class", "rate_hz", "window", "normalisation",
                  "preprocessing_in_graph", "ghl_version"]


def dims(vi):
    return [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]


def check(path):
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    problems = []
    opsets = {o.domain: o.version for o in m.opset_import}
    if opsets.get("", 0) != 13:
        problems.append(f"opset {opsets}, want 13 in the default domain")
    props = {p.key: p.value for p in m.metadata_props}
    missing = [k for k in REQUIRED_PROPS if k not in props]
    if missing:
        problems.append(f"metadata_props missing {missing}")
    classes = json.loads(props.get("classes", "[]"))
    L, C = int(props.get("window", 0)), len(classes)
    (inp,) = m.graph.input
    if inp.name != "window" or inp.type.tensor_type.elem_type != TensorProto.FLOAT or dims(inp) != ["batch", 1, L]:
        problems.append(f"input {inp.name} {dims(inp)}, want window float32 ['batch', 1, {L}]")
    outs = [(o.name, dims(o)) for o in m.graph.output]
    if outs != [("logits", ["batch", C]), ("probabilities", ["batch", C])]:
        problems.append(f"outputs {outs}, want logits and probabilities ['batch', {C}]")
    # Shape inference must reach the outputs' static class dimension.
    inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    ops = [n.op_type for n in m.graph.node]
    status = "FAIL" if problems else "PASS"
    print(f"{status} {path}: onnx {onnx.__version__} check_model(full_check=True) passed; "
          f"IR {m.ir_version}, opset {opsets.get('')}, {len(ops)} nodes "
          f"({', '.join(sorted(set(ops)))}), {len(m.graph.initializer)} initializers, "
          f"{len(inferred.graph.value_info)} inferred intermediate shapes; classes {classes}")
    for p in problems:
        print("  problem:", p)
    return not problems


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    ok = all([check(p) for p in sys.argv[1:]])
    sys.exit(0 if ok else 1)
