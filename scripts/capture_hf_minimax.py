# Captures PyTorch profiler (Kineto, Chrome trace JSON) traces of Hugging Face transformers'
# MiniMaxForCausalLM with random weights and a small config of the same 7 lightning : 1 softmax
# layer pattern: one prefill of T tokens and one decode step, each after warm-ups, plus the
# CUDA-event timings of both (median of 7 and 15) and the config. No download: the weights are
# random. Needs an NVIDIA GPU, PyTorch and transformers >= 5 (MiniMaxConfig with layer_types).
#   OUT=DIR T=2048 python3 scripts/capture_hf_minimax.py
# tests/data/hf-minimax-tiny/ holds one capture (its README says where and when).
# Not for: arclight's own kernels (arclight verify gpu), or timing anything but this model.
import json, os, sys, time, inspect
import torch, transformers
from transformers import MiniMaxConfig, MiniMaxForCausalLM
out = os.environ.get("OUT", ".")
print("torch", torch.__version__, "transformers", transformers.__version__, torch.cuda.get_device_name(0))
params = inspect.signature(MiniMaxConfig.__init__).parameters
print("MiniMaxConfig params:", [p for p in params][:60])
kw = dict(vocab_size=32000, hidden_size=1024, intermediate_size=1024, num_hidden_layers=8,
          num_attention_heads=16, num_key_value_heads=8, head_dim=64, num_local_experts=8,
          num_experts_per_tok=2, max_position_embeddings=16384)
if "layer_types" in params:
    kw["layer_types"] = ["linear_attention"] * 7 + ["full_attention"]
if "block_size" in params:
    kw["block_size"] = 256
cfg = MiniMaxConfig(**kw)
cfg.to_json_file(os.path.join(out, "config.json"))
torch.manual_seed(0)
model = MiniMaxForCausalLM(cfg).to("cuda", torch.bfloat16).eval()
print("params", sum(p.numel() for p in model.parameters()) / 1e6, "M; layer types", getattr(cfg, "layer_types", None))
T = int(os.environ.get("T", "2048"))
ids = torch.randint(0, 32000, (1, T), device="cuda")
def timed(f, n):
    ts = []
    for _ in range(n):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); f(); b.record(); torch.cuda.synchronize(); ts.append(a.elapsed_time(b))
    ts.sort(); return ts[len(ts) // 2], ts
res = {}
with torch.no_grad():
    for _ in range(2): model(ids, use_cache=True)
    med, ts = timed(lambda: model(ids, use_cache=True), 7)
    res["prefill_ms_median"] = med; res["prefill_ms"] = ts
    print("prefill T", T, "ms", med)
    o = model(ids, use_cache=True)
    past = o.past_key_values
    nxt = o.logits[:, -1:].argmax(-1)
    def step():
        global past, nxt
        r = model(nxt, past_key_values=past, use_cache=True)
        past = r.past_key_values; nxt = r.logits[:, -1:].argmax(-1)
    for _ in range(3): step()
    med, ts = timed(step, 15)
    res["decode_ms_median"] = med; res["decode_ms"] = ts
    print("decode step ms", med)
    acts = [torch.profiler.ProfilerActivity.CPU, torch.profiler.ProfilerActivity.CUDA]
    with torch.profiler.profile(activities=acts, record_shapes=True) as prof:
        model(ids, use_cache=True); torch.cuda.synchronize()
    prof.export_chrome_trace(os.path.join(out, "prefill_trace.json"))
    with torch.profiler.profile(activities=acts, record_shapes=True) as prof:
        step(); torch.cuda.synchronize()
    prof.export_chrome_trace(os.path.join(out, "decode_trace.json"))
res["T"] = T; res["gpu"] = torch.cuda.get_device_name(0); res["torch"] = torch.__version__; res["transformers"] = transformers.__version__
json.dump(res, open(os.path.join(out, "timings.json"), "w"), indent=1)
for f in os.listdir(out): print(f, os.path.getsize(os.path.join(out, f)))
