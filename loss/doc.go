// Package loss holds the base losses and the class-imbalance schemes the
// trainer calls once per batch: plain (DCNN), class-cost (DCNNC) and the
// gradient harmonized loss (GHL, DCNNG) of Ren et al., Section II, with the
// readings of SPEC.md.
//
// # Base losses and δ
//
// MSE and RMSE act on the softmax output p (the paper's Eqs. 15–16); their
// per-sample gradient δ_i = ∂L_i/∂p_i is then chained to the logits through
// the softmax Jacobian. Cross-entropy's δ is taken w.r.t. the logits,
// δ = p − y. All three sum to zero over the classes, and all three point
// along p − y, so the angles GHL measures do not depend on the base loss.
// Since p_y − 1 = −Σ_{k≠y} p_k, the direction of p − y depends only on the
// ratios of a sample's wrong-class probabilities, not on how confident the
// model is in the true class: GD measures how alike the samples' confusions
// are. (This is why the majority's near-identical windows all come out
// dense, SPEC 7.)
// The softmax subtracts the row maximum and accumulates in float64, so any
// finite logits (±1e30 included) give finite values.
//
// # Schemes and normalisation
//
// Every scheme is a weight w_i on the base loss and returns
//
//	Loss = Σ_i w_i L_i / Σ_i w_i   (over the kept samples)
//
// with w held constant in the gradient (no gradient flows through the
// density, as in GHM). The weighted mean, not the sum over N, is used for
// every scheme because the trainer uses one learning rate for all of them:
// dividing by N would shrink literal GHL's gradient by Σw/N (about 0.18 on
// Set 1, where the 3200 majority windows weigh about one sample), confounding
// the weighting with the step size. It is also PyTorch's convention for
// weighted cross-entropy. Class-cost and the rescaled GHL variants have
// Σw = N in full batch, so for them the two rules coincide.
//
//   - plain: w = 1.
//   - class-cost (Jia et al. 2018): w_c = N/(C'·N_c) from the training
//     counts, C' the classes with N_c > 0: every class carries the total
//     weight N/C', and a balanced set gets w = 1.
//   - ghl-paper: Eqs. 6–13 literally: T_c from Eq. 13 with γ from the
//     previous iteration's training macro-F1 (Options.Anneal), GD_i the
//     number of in-class samples within T_c of δ_i (itself included),
//     w_i = 1/GD_i.
//   - ghl-balanced (ours; what "ghl" means): harmonize within each class by
//     1/GD_i, then rescale each class's kept weights to its class-cost
//     total (N/C' in full batch). When GD is uniform within a class this is
//     exactly class-cost; GHL only redistributes weight inside a class,
//     from dense (redundant) gradients to isolated ones, so the majority can
//     no longer be erased (SPEC 7 measured literal GHL giving NC recall 0).
//   - ghl-floor (ours): literal weights, but a class whose total weight
//     falls below Options.Floor times its class-cost total is scaled up to
//     it. Weights may then exceed 1.
//
// # Elimination (Sec. II-D)
//
// When Context.Full is true and ε > 0, samples whose raw weight 1/GD_i
// (before any class rescaling; Options.EpsilonOn = "relative" divides by
// the class's largest 1/GD_j first) is below ε get weight 0, a zero
// gradient row and are left out of Output.Keep. A class is never removed
// whole: its sample of largest raw weight (lowest index on ties) is always
// kept. The rescaled variants rescale over the kept samples, so an
// eliminated class keeps its total weight.
//
// # Gradient density
//
// GS_ij ≤ T is tested as cos_ij ≥ cos(T + TieTol) on float64 normalised
// gradients, never with arccos. A zero δ (a perfectly fit sample) has GD 1
// and counts for no one; T_c < 0 gives GD 1; T_c + TieTol ≥ π counts the
// whole class. The modes share the Estimator:
//
//   - exact (the default): blocked Gram product, upper triangle, both
//     cores, O(N·C) memory. It is the only mode whose weights can be
//     trusted for C > 3; it costs about 3 CPU-ms at N_c = 3200, C = 12.
//   - plane2d: the paper's 2-D projection (basis e_c − 1/C·1 and the
//     class's mean gradient residual), sorted by polar angle and counted
//     with a sliding window, O(N log N), exact for C = 3 only. On
//     training-like gradients at C = 12 its weights rank poorly against
//     exact (Spearman ≈ 0.3) and it overcounts neighbours by orders of
//     magnitude at small thresholds: a 2-D projection squeezes a
//     10-dimensional spread of directions (see README.md).
//   - plane2d-pca (ours): plane2d on the plane of the class's mean gradient
//     and the residuals' leading principal direction. Measured not
//     reliably better than plane2d (README.md); kept so the comparison can
//     be rerun.
//   - sampled: M references per class, ĜD_i = 1 + (N_c−1)/M_i·hits, unbiased
//     for GD (not for 1/GD), O(N·M·C). Good when neighbourhoods are dense
//     (GD in the hundreds: Spearman ≥ 0.94 at M = 128), poor when they are
//     sparse (GD ≈ 2: a sample with no hit among M references gets weight 1).
//
// The exact kernel is hand-written: no Go library offers a thresholded Gram
// count without materialising the N×N matrix, and at C = 12 a GEMM would be
// dominated by writing that matrix out. On amd64 with AVX2 and FMA (checked
// at start-up with golang.org/x/sys/cpu) a small assembly kernel compares one
// row with 16 columns of a transposed tile per step in float64 (≈ 0.6 ns per
// pair, 3 CPU-ms at N_c = 3200); elsewhere, or with the purego build tag, a
// Go kernel that computes four dot products at once and counts without
// branches (≈ 3 ns per pair). The two are tested to agree with each other
// and with a brute-force arccos count. Skipping pairs by sorting on the
// angle to a reference direction (exact, by the triangle inequality) was
// tried and dropped: in 11 dimensions one key prunes little (−20 % CPU at
// T = 0.1 rad, +18 % at T = 0.5 rad).
//
// Schemes and Estimators keep scratch buffers between calls, so a training
// loop does not allocate per iteration; they are not safe for concurrent
// use, and an Output is overwritten by the next Apply.
package loss
