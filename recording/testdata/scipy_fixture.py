"""Writes scipy_v7.mat, a MAT v7 file written by SciPy (not by ghl's own
test encoder), so that the matv5 tests also check a file from an
independent writer: zlib-compressed variables, a nested struct, a cell
array, int16/single/logical/char arrays and a struct array.

Run once with SciPy installed:  python3 scipy_fixture.py
The Go tests never run it; they read the committed scipy_v7.mat.
"""
import numpy as np
import scipy.io as sio

n = np.arange(400, dtype=np.float64)
sio.savemat(
    "scipy_v7.mat",
    {
        "s": {
            "data": (n / 8.0 - 3.0).reshape(-1, 1),
            "fs": 25600.0,
            "name": "bearing B",
            "meta": {"gain": np.int16(-3), "sensor": "DE"},
        },
        "c": np.array([np.arange(5, dtype=np.int16), np.linspace(0, 1, 3, dtype=np.float32)], dtype=object),
        "trials": np.array([(np.array([1.0, 2.0]),), (np.array([3.0, 4.0, 5.0]),)], dtype=[("x", object)]),
        "flag": np.array([True, False, True]),
        "u64": np.array([0, 2**40, 7], dtype=np.uint64),
    },
    do_compression=True,
    oned_as="column",
)
