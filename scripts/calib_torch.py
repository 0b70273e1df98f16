# arclight calibrate's PyTorch kernels, the ones C has no equal of, on bf16 inputs:
#   - softmax attention: scaled_dot_product_attention with the flash back end (what Hugging Face
#     models and most servers run), prefill (causal) and one-token decode;
#   - elementwise_strided: ATen's generic elementwise_kernel, which runs an elementwise op whose
#     operands it cannot vectorize (broadcast, strided, mixed dtypes; 287 of the 1,100 elementwise
#     kernels of the Hugging Face MiniMax prefill in tests/data): x * s, x [rows, 1024] and s [rows, 1],
#     s broadcast along each row. `bytes` counts x read, s read and x * s written.
# Run by `arclight calibrate gpu` (embedded in the binary, written to its temporary directory):
#   python3 calib_torch.py JOBS.json OUT.json
# JOBS.json: {"set": "grid"|"holdout"|"quick", "energy": 0|1, "l2_bytes": n}. OUT.json: {"torch",
# "backend", "points": [...]} in the calibration file's point format (sim/calib.c reads it).
# Method, as calibrate's: N calls captured in a CUDA graph over input sets rotated past L2, 2 warm
# replays, the median of 15 timed replays / N; board energy from NVML's total-energy counter (ctypes)
# over >= 1 s of replays after 0.25 s of warm-up, in a last pass after every timing (as calibrate
# does for its own kernels: no timing follows a second of load). K and V have as many heads as Q (a grouped-query
# model's K and V expanded, as Hugging Face's repeat_kv does), so the points say kv_heads = heads.
# Not for: anything but calibrate; it prints nothing but errors.
import contextlib, ctypes, json, math, sys, time
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

jobs = json.load(open(sys.argv[1]))
out_path = sys.argv[2]
dev = torch.device("cuda")
l2 = float(jobs.get("l2_bytes", 50e6))
want_energy = bool(jobs.get("energy", 1))

nvml = ctypes.CDLL("libnvidia-ml.so.1")
nvml.nvmlInit_v2()
handle = ctypes.c_void_p()
nvml.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(torch.cuda.current_device()), ctypes.byref(handle))
def energy_mj():
    v = ctypes.c_ulonglong()
    if nvml.nvmlDeviceGetTotalEnergyConsumption(handle, ctypes.byref(v)) != 0:
        raise RuntimeError("NVML energy counter unreadable")
    return v.value

def attention(q, k, v, causal):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)

def flash():
    return sdpa_kernel([SDPBackend.FLASH_ATTENTION])

def scale_rows(x, s):
    return x * s

def measure(make, fn, within, set_bytes, energy):
    sets = max(1, min(64, math.ceil(3 * l2 / set_bytes)))
    inputs = [make(i) for i in range(sets)]
    with within():
        def call(i):
            return fn(*inputs[i % sets])
        call(0); torch.cuda.synchronize()
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); call(1); b.record(); torch.cuda.synchronize()
        est = max(a.elapsed_time(b) * 1e-3, 1e-7)
        n = max(1, min(100, math.ceil(0.5e-3 / est)))
        n = max(n, min(sets, 100))
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for i in range(2):
                call(i)
        torch.cuda.current_stream().wait_stream(s)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            for i in range(n):
                call(i)
    for _ in range(2):
        g.replay()
    ev = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(15)]
    for x, y in ev:
        x.record(); g.replay(); y.record()
    torch.cuda.synchronize()
    per = sorted(x.elapsed_time(y) * 1e-3 / n for x, y in ev)
    res = {"time_s": per[len(per) // 2], "time_min_s": per[0], "time_max_s": per[-1], "reps": len(per)}
    if energy:
        batch = max(1, math.ceil(0.05 / (res["time_s"] * n)))
        t0 = time.monotonic()
        while time.monotonic() - t0 < 0.25:
            for _ in range(batch): g.replay()
            torch.cuda.synchronize()
        e0, w0, kernels = energy_mj(), time.monotonic(), 0
        while time.monotonic() - w0 < 1.0:
            for _ in range(batch): g.replay()
            torch.cuda.synchronize()
            kernels += batch * n
        e1, w1 = energy_mj(), time.monotonic()
        if e1 > e0:
            res["energy_j"] = (e1 - e0) * 1e-3 / kernels
            res["power_w"] = (e1 - e0) * 1e-3 / (w1 - w0)
    del g, inputs
    torch.cuda.empty_cache()
    return res

def rnd(*shape):
    return torch.rand(*shape, device=dev, dtype=torch.bfloat16) * 2 - 1

points = []
deferred = []  # (make, fn, within, set bytes, point): energy measured once every shape is timed
def add(point, make, fn, within, set_bytes, energy):
    points.append(point)
    if energy:
        deferred.append((make, fn, within, set_bytes, point))

def prefill(bh, d, seq, energy):
    b, h = 1, bh
    def make(i):
        return (rnd(b, h, seq, d), rnd(b, h, seq, d), rnd(b, h, seq, d), True)
    nbytes = 4 * b * h * seq * d * 2
    r = measure(make, attention, flash, nbytes, False)
    add(dict(kind="attn_prefill", batch=b, heads=h, kv_heads=h, head_dim=d, seq=seq, **r), make, attention, flash,
        nbytes, energy)

def decode(bh, d, skv, energy):
    h = 8
    b = max(1, bh // h)
    def make(i):
        return (rnd(b, h, 1, d), rnd(b, h, skv, d), rnd(b, h, skv, d), False)
    nbytes = 2 * b * h * skv * d * 2
    r = measure(make, attention, flash, nbytes, False)
    add(dict(kind="attn_decode", batch=b, heads=h, kv_heads=h, head_dim=d, seq_kv=skv, **r), make, attention, flash,
        nbytes, energy)

def strided(target_bytes, energy):
    cols = 1024
    rows = max(1, round(target_bytes / (4 * cols)))
    def make(i):
        return (rnd(rows, cols), rnd(rows, 1))
    nbytes = 2 * rows * cols * 2 + rows * 2
    r = measure(make, scale_rows, contextlib.nullcontext, nbytes, False)
    add(dict(kind="elementwise_strided", bytes=nbytes, **r), make, scale_rows, contextlib.nullcontext, nbytes, energy)

kind = jobs["set"]
if kind == "grid":
    # energies at short lengths too: most long ones run at the power limit, where a kernel's energy is
    # the limit x its time and says nothing of its per-flop and per-byte terms
    for d in (64, 128):
        for bh in (8, 16, 32, 64, 128):
            for seq in (256, 512, 1024, 2048, 4096, 8192, 16384, 32768):
                prefill(bh, d, seq, want_energy and seq in (512, 2048, 16384) and bh in (8, 64))
        for bh in (8, 16, 32, 64, 128, 256):
            for skv in (256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536):
                decode(bh, d, skv, want_energy and skv in (1024, 4096, 65536) and bh in (8, 64, 256))
elif kind == "holdout":  # off the grid in every axis
    for d in (64, 128):
        for bh in (12, 48):
            for seq in (384, 1536, 6144, 24576):
                prefill(bh, d, seq, want_energy and seq in (6144, 24576))
        for bh in (24, 96):
            for skv in (384, 1536, 6144, 24576):
                decode(bh, d, skv, want_energy and skv in (6144, 24576))
else:
    prefill(32, 128, 4096, want_energy)
    decode(64, 128, 4096, False)
# the generic elementwise kernel over the sizes calibrate's streaming kernels take: 8 KB to 4 GB by
# powers of two; the holdout between them
for e in range(13, 33):
    if kind == "holdout":
        if e < 32:
            strided(math.ldexp(1.5 if e % 2 else 1.25, e), want_energy and e >= 22 and e % 3 == 0)
    elif kind == "grid" or e % 6 == 0:
        strided(math.ldexp(1, e), want_energy and e >= 20 and e % 2 == 0)

for make, fn, within, nbytes, point in deferred:  # the energy pass
    r = measure(make, fn, within, nbytes, True)
    for key in ("energy_j", "power_w"):
        if key in r:
            point[key] = r[key]

json.dump({"torch": torch.__version__, "backend": "flash (torch.nn.attention.sdpa_kernel FLASH_ATTENTION), CUDA graph; "
           "elementwise_strided: x * s, s broadcast along x's rows (ATen's generic elementwise_kernel)",
           "points": points}, open(out_path, "w"), indent=1)
