// Runs exported ghl graphs in ONNX Runtime (npm onnxruntime-node, its CPU
// build) on the windows of internal/cmd/onnxfixtures and compares the
// logits with ghl's own.
//
//   NODE_PATH=DIR/node_modules node ort.js FIXTURES WITH_PRE.onnx WITHOUT_PRE.onnx
//
// WITH_PRE.onnx gets the raw windows, WITHOUT_PRE.onnx the windows ghl
// normalised. Passes when, for every window, max |onnx - ghl| over the
// logits is at most 1e-4 of max |ghl logit| and the predicted classes agree;
// the probabilities output must be the softmax of the logits output.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const TOL = 1e-4;

function f32(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

function argmax(a) {
  let k = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[k]) k = i;
  return k;
}

async function check(model, x, fx, ref) {
  const n = fx.windows, L = fx.window, C = fx.classes.length;
  const s = await ort.InferenceSession.create(model);
  const r = await s.run({ window: new ort.Tensor('float32', x, [n, 1, L]) });
  const logits = r.logits.data, probs = r.probabilities.data;
  if (logits.length !== n * C) throw new Error(`${model}: ${logits.length} logits, want ${n * C}`);
  let worst = 0, worstAt = -1, disagree = 0, worstProb = 0;
  for (let i = 0; i < n; i++) {
    const a = logits.subarray(i * C, (i + 1) * C), b = ref.subarray(i * C, (i + 1) * C);
    let d = 0, sc = 0;
    for (let j = 0; j < C; j++) {
      d = Math.max(d, Math.abs(a[j] - b[j]));
      sc = Math.max(sc, Math.abs(b[j]));
    }
    const e = sc > 0 ? d / sc : Infinity;
    if (!(e <= worst)) { worst = e; worstAt = i; }
    if (argmax(a) !== argmax(b)) disagree++;
    // softmax of the graph's own logits, in float64
    const mx = Math.max(...a);
    let z = 0;
    for (let j = 0; j < C; j++) z += Math.exp(a[j] - mx);
    for (let j = 0; j < C; j++) worstProb = Math.max(worstProb, Math.abs(probs[i * C + j] - Math.exp(a[j] - mx) / z));
  }
  const ok = worst <= TOL && disagree === 0 && worstProb <= 1e-6;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${path.basename(model)}: ${n} windows, max relative logit error ${worst.toExponential(3)}` +
    ` (window ${worstAt}: ${fx.source[worstAt]}), ${disagree} predicted classes differ, max |probabilities - softmax(logits)| ${worstProb.toExponential(2)}`);
  return ok;
}

(async () => {
  const [dir, withPre, withoutPre] = process.argv.slice(2);
  if (!withoutPre) {
    console.error('usage: node ort.js FIXTURES WITH_PRE.onnx WITHOUT_PRE.onnx');
    process.exit(2);
  }
  const fx = JSON.parse(fs.readFileSync(path.join(dir, 'fixtures.json')));
  const ref = f32(path.join(dir, 'logits.f32'));
  console.log(`onnxruntime-node ${require('onnxruntime-node/package.json').version}`);
  const a = await check(withPre, f32(path.join(dir, 'raw.f32')), fx, ref);
  const b = await check(withoutPre, f32(path.join(dir, 'normalised.f32')), fx, ref);
  process.exit(a && b ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
