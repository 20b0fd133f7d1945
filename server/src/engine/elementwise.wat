;; Element-wise steps of a training run on arrays resident in the kernel's
;; shared memory (byte offsets), in f64x2 lanes, and the input batch's transpose. Each lane's arithmetic is the
;; JavaScript code's, so the results are its bits; a sum of squares is summed
;; in the order squaredNorm (epoch-totals.ts) sums it: four running sums,
;; element i into sum i mod 4, then (s0 + s1) + (s2 + s3).
(module
  (import "env" "memory" (memory 1 32768 shared))
  ;; θ ← θ − η·g over n doubles; returns Σg²
  (func (export "sgd") (param $v i32) (param $g i32) (param $n i32) (param $lr f64) (result f64)
    (local $end i32) (local $x v128) (local $y v128) (local $s01 v128) (local $s23 v128) (local $rate v128)
    (local.set $rate (f64x2.splat (local.get $lr)))
    (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (if (i32.lt_u (local.get $v) (local.get $end))
      (then
        (loop $quads
          (local.set $x (v128.load (local.get $g)))
          (local.set $y (v128.load offset=16 (local.get $g)))
          (v128.store (local.get $v) (f64x2.sub (v128.load (local.get $v)) (f64x2.mul (local.get $rate) (local.get $x))))
          (v128.store offset=16 (local.get $v) (f64x2.sub (v128.load offset=16 (local.get $v)) (f64x2.mul (local.get $rate) (local.get $y))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))
          (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $y) (local.get $y))))
          (local.set $v (i32.add (local.get $v) (i32.const 32)))
          (local.set $g (i32.add (local.get $g) (i32.const 32)))
          (br_if $quads (i32.lt_u (local.get $v) (local.get $end))))))
    ;; the last n mod 4 elements go to sums 0, 1 and 2; a zero lane adds +0, which leaves a sum of squares as it is
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (if (i32.ge_u (local.get $n) (i32.const 1))
      (then
        (local.set $x (v128.load64_zero (local.get $g)))
        (f64.store (local.get $v) (f64.sub (f64.load (local.get $v)) (f64.mul (local.get $lr) (f64.load (local.get $g)))))))
    (if (i32.ge_u (local.get $n) (i32.const 2))
      (then
        (local.set $x (v128.load (local.get $g)))
        (f64.store offset=8 (local.get $v) (f64.sub (f64.load offset=8 (local.get $v)) (f64.mul (local.get $lr) (f64.load offset=8 (local.get $g)))))))
    (if (i32.ge_u (local.get $n) (i32.const 3))
      (then
        (local.set $y (v128.load64_zero offset=16 (local.get $g)))
        (f64.store offset=16 (local.get $v) (f64.sub (f64.load offset=16 (local.get $v)) (f64.mul (local.get $lr) (f64.load offset=16 (local.get $g)))))
        (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $y) (local.get $y))))))
    (if (i32.ge_u (local.get $n) (i32.const 1))
      (then (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
;; sgd with momentum μ on buffer b, without weight decay: g′ = g + 0·θ + 0·θ (the general
  ;; update's g + λθ + λ₁sign(θ) at λ = λ₁ = 0, signed zeros and NaN alike), b ← μb + g′,
  ;; d = g′ + μb with nesterov else b, θ ← θ + (−η)d; returns Σg² of the raw g
  (func (export "momentum") (param $v i32) (param $g i32) (param $b i32) (param $n i32) (param $lr f64) (param $mu f64) (param $nesterov i32) (result f64)
    (local $i i32) (local $x v128) (local $y v128) (local $s01 v128) (local $s23 v128) (local $rate v128) (local $keep v128)
    (local.set $rate (f64x2.splat (f64.neg (local.get $lr))))
    (local.set $keep (f64x2.splat (local.get $mu)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $x (v128.load (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $step (local.get $v) (local.get $b) (local.get $x) (local.get $rate) (local.get $keep) (local.get $nesterov))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; an odd last element: lane 0 alone, loaded and stored as one double
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $x (v128.load64_zero (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (local.set $y (call $stepped (v128.load64_zero (local.get $v)) (v128.load64_zero (local.get $b)) (local.get $x) (local.get $rate) (local.get $keep) (local.get $nesterov)))
        (f64.store (local.get $v) (f64x2.extract_lane 0 (local.get $y)))
        (f64.store (local.get $b) (f64x2.extract_lane 1 (local.get $y)))))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
  ;; two lanes of the momentum step in place
  (func $step (param $v i32) (param $b i32) (param $g v128) (param $rate v128) (param $keep v128) (param $nesterov i32)
    (local $theta v128) (local $zero v128) (local $buffer v128) (local $direction v128)
    (local.set $theta (v128.load (local.get $v)))
    (local.set $zero (f64x2.mul (v128.const f64x2 0 0) (local.get $theta)))
    (local.set $g (f64x2.add (f64x2.add (local.get $g) (local.get $zero)) (local.get $zero)))
    (local.set $buffer (f64x2.add (f64x2.mul (local.get $keep) (v128.load (local.get $b))) (local.get $g)))
    (v128.store (local.get $b) (local.get $buffer))
    (local.set $direction (if (result v128) (local.get $nesterov)
      (then (f64x2.add (local.get $g) (f64x2.mul (local.get $keep) (local.get $buffer))))
      (else (local.get $buffer))))
    (v128.store (local.get $v) (f64x2.add (local.get $theta) (f64x2.mul (local.get $rate) (local.get $direction)))))
  ;; lane 0 of the same step: θ′ in lane 0 and b′ in lane 1 of the result
  (func $stepped (param $theta v128) (param $old v128) (param $g v128) (param $rate v128) (param $keep v128) (param $nesterov i32) (result v128)
    (local $zero v128) (local $buffer v128) (local $direction v128)
    (local.set $zero (f64x2.mul (v128.const f64x2 0 0) (local.get $theta)))
    (local.set $g (f64x2.add (f64x2.add (local.get $g) (local.get $zero)) (local.get $zero)))
    (local.set $buffer (f64x2.add (f64x2.mul (local.get $keep) (local.get $old)) (local.get $g)))
    (local.set $direction (if (result v128) (local.get $nesterov)
      (then (f64x2.add (local.get $g) (f64x2.mul (local.get $keep) (local.get $buffer))))
      (else (local.get $buffer))))
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f64x2.add (local.get $theta) (f64x2.mul (local.get $rate) (local.get $direction))) (local.get $buffer)))
;; Adam (AdamW with shrink ≠ 1) without λ or λ₁, in torch's order as optimizers.ts writes it:
  ;; g′ as in momentum, m ← β₁m + (1 − β₁)g′, s ← β₂s + ((1 − β₂)g′)g′,
  ;; θ ← θ·shrink − step·(m / (√s / root2 + ε)); returns Σg² of the raw g
  (func (export "adam") (param $v i32) (param $g i32) (param $m i32) (param $s i32) (param $n i32)
    (param $beta1 f64) (param $beta2 f64) (param $step f64) (param $root2 f64) (param $eps f64) (param $shrink f64) (result f64)
    (local $i i32) (local $x v128) (local $y v128) (local $s01 v128) (local $s23 v128)
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $x (v128.load (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (local.set $y (call $moments (v128.load (local.get $v)) (local.get $x) (local.get $m) (local.get $s)
          (local.get $beta1) (local.get $beta2) (local.get $step) (local.get $root2) (local.get $eps) (local.get $shrink)))
        (v128.store (local.get $v) (local.get $y))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; an odd last element: the same step in scalar arithmetic
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $x (v128.load64_zero (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $last (local.get $v) (f64.load (local.get $g)) (local.get $m) (local.get $s)
          (local.get $beta1) (local.get $beta2) (local.get $step) (local.get $root2) (local.get $eps) (local.get $shrink))))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
  ;; two lanes of Adam's moments, stored at m and s; returns the new θ
  (func $moments (param $theta v128) (param $g v128) (param $m i32) (param $s i32)
    (param $beta1 f64) (param $beta2 f64) (param $step f64) (param $root2 f64) (param $eps f64) (param $shrink f64) (result v128)
    (local $zero v128) (local $first v128) (local $second v128)
    (local.set $zero (f64x2.mul (v128.const f64x2 0 0) (local.get $theta)))
    (local.set $g (f64x2.add (f64x2.add (local.get $g) (local.get $zero)) (local.get $zero)))
    (local.set $first (f64x2.add
      (f64x2.mul (f64x2.splat (local.get $beta1)) (v128.load (local.get $m)))
      (f64x2.mul (f64x2.splat (f64.sub (f64.const 1) (local.get $beta1))) (local.get $g))))
    (local.set $second (f64x2.add
      (f64x2.mul (f64x2.splat (local.get $beta2)) (v128.load (local.get $s)))
      (f64x2.mul (f64x2.mul (f64x2.splat (f64.sub (f64.const 1) (local.get $beta2))) (local.get $g)) (local.get $g))))
    (v128.store (local.get $m) (local.get $first))
    (v128.store (local.get $s) (local.get $second))
    (f64x2.sub
      (f64x2.mul (local.get $theta) (f64x2.splat (local.get $shrink)))
      (f64x2.mul (f64x2.splat (local.get $step))
        (f64x2.div (local.get $first)
          (f64x2.add (f64x2.div (f64x2.sqrt (local.get $second)) (f64x2.splat (local.get $root2))) (f64x2.splat (local.get $eps)))))))
;; one element of Adam's step, as $moments computes each lane
  (func $last (param $v i32) (param $g f64) (param $m i32) (param $s i32)
    (param $beta1 f64) (param $beta2 f64) (param $step f64) (param $root2 f64) (param $eps f64) (param $shrink f64)
    (local $theta f64) (local $zero f64) (local $first f64) (local $second f64)
    (local.set $theta (f64.load (local.get $v)))
    (local.set $zero (f64.mul (f64.const 0) (local.get $theta)))
    (local.set $g (f64.add (f64.add (local.get $g) (local.get $zero)) (local.get $zero)))
    (local.set $first (f64.add (f64.mul (local.get $beta1) (f64.load (local.get $m))) (f64.mul (f64.sub (f64.const 1) (local.get $beta1)) (local.get $g))))
    (local.set $second (f64.add (f64.mul (local.get $beta2) (f64.load (local.get $s)))
      (f64.mul (f64.mul (f64.sub (f64.const 1) (local.get $beta2)) (local.get $g)) (local.get $g))))
    (f64.store (local.get $m) (local.get $first))
    (f64.store (local.get $s) (local.get $second))
    (f64.store (local.get $v) (f64.sub
      (f64.mul (local.get $theta) (local.get $shrink))
      (f64.mul (local.get $step)
        (f64.div (local.get $first) (f64.add (f64.div (f64.sqrt (local.get $second)) (local.get $root2)) (local.get $eps)))))))
;; Adam's step for any λ and λ₁, measured or not (flags: 4 measure), as optimizers.ts writes it: g′ as in
  ;; sgdStep, the moments and θ′ as in adam, c = θ′ − θ; with measure, Σc² and Σθ′² summed in index order
  ;; into out[0] and out[1]; returns Σg² of the raw g in sgd's four sums
  (func (export "adamStep") (param $v i32) (param $g i32) (param $m i32) (param $s i32) (param $n i32)
    (param $beta1 f64) (param $beta2 f64) (param $step f64) (param $root2 f64) (param $eps f64) (param $shrink f64)
    (param $decay f64) (param $sparse f64) (param $flags i32) (param $out i32) (result f64)
    (local $i i32) (local $x v128) (local $s01 v128) (local $s23 v128) (local $both i32)
    (global.set $moved (f64.const 0))
    (global.set $norm (f64.const 0))
    (local.set $i (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; two lanes while two are left, then lane 0 alone
        (local.set $both (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $x (call $load (local.get $g) (local.get $both)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $adamLanes (local.get $v) (local.get $m) (local.get $s) (local.get $x) (local.get $both)
          (local.get $beta1) (local.get $beta2) (local.get $step) (local.get $root2) (local.get $eps) (local.get $shrink)
          (local.get $decay) (local.get $sparse) (local.get $flags))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $each)))
    (f64.store (local.get $out) (global.get $moved))
    (f64.store offset=8 (local.get $out) (global.get $norm))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
  (func $adamLanes (param $v i32) (param $m i32) (param $s i32) (param $g v128) (param $both i32)
    (param $beta1 f64) (param $beta2 f64) (param $step f64) (param $root2 f64) (param $eps f64) (param $shrink f64)
    (param $decay f64) (param $sparse f64) (param $flags i32)
    (local $theta v128) (local $first v128) (local $second v128) (local $value v128) (local $change v128)
    (local.set $theta (call $load (local.get $v) (local.get $both)))
    (local.set $g (call $decayed (local.get $g) (local.get $theta) (local.get $decay) (local.get $sparse)))
    (local.set $first (f64x2.add
      (f64x2.mul (f64x2.splat (local.get $beta1)) (call $load (local.get $m) (local.get $both)))
      (f64x2.mul (f64x2.splat (f64.sub (f64.const 1) (local.get $beta1))) (local.get $g))))
    (local.set $second (f64x2.add
      (f64x2.mul (f64x2.splat (local.get $beta2)) (call $load (local.get $s) (local.get $both)))
      (f64x2.mul (f64x2.mul (f64x2.splat (f64.sub (f64.const 1) (local.get $beta2))) (local.get $g)) (local.get $g))))
    (call $store (local.get $m) (local.get $both) (local.get $first))
    (call $store (local.get $s) (local.get $both) (local.get $second))
    (local.set $value (f64x2.sub
      (f64x2.mul (local.get $theta) (f64x2.splat (local.get $shrink)))
      (f64x2.mul (f64x2.splat (local.get $step))
        (f64x2.div (local.get $first)
          (f64x2.add (f64x2.div (f64x2.sqrt (local.get $second)) (f64x2.splat (local.get $root2))) (f64x2.splat (local.get $eps)))))))
    (call $store (local.get $v) (local.get $both) (local.get $value))
    (if (i32.and (local.get $flags) (i32.const 4))
      (then
        (local.set $change (f64x2.sub (local.get $value) (local.get $theta)))
        (global.set $moved (f64.add (global.get $moved) (f64.mul (f64x2.extract_lane 0 (local.get $change)) (f64x2.extract_lane 0 (local.get $change)))))
        (global.set $norm (f64.add (global.get $norm) (f64.mul (f64x2.extract_lane 0 (local.get $value)) (f64x2.extract_lane 0 (local.get $value)))))
        (if (local.get $both)
          (then
            (global.set $moved (f64.add (global.get $moved) (f64.mul (f64x2.extract_lane 1 (local.get $change)) (f64x2.extract_lane 1 (local.get $change)))))
            (global.set $norm (f64.add (global.get $norm) (f64.mul (f64x2.extract_lane 1 (local.get $value)) (f64x2.extract_lane 1 (local.get $value))))))))))
;; dropout's mask over n doubles: mask = 0 where the next uniform u < rate, else keep; u drawn as
  ;; Rng.next draws it (xoshiro128**, two 32-bit outputs, (r₁ >>> 5)·2²⁶ + (r₂ >>> 6) over 2⁵³)
  ;; from the four state words at `state`, which move on as far
  (func (export "dropoutMask") (param $state i32) (param $mask i32) (param $n i32) (param $rate f64) (param $keep f64)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $t i32) (local $r1 i32) (local $r2 i32) (local $end i32)
    (local.set $s0 (i32.load (local.get $state)))
    (local.set $s1 (i32.load offset=4 (local.get $state)))
    (local.set $s2 (i32.load offset=8 (local.get $state)))
    (local.set $s3 (i32.load offset=12 (local.get $state)))
    (local.set $end (i32.add (local.get $mask) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $mask) (local.get $end)))
        ;; the generator's step written out for each of the two draws: V8 here does not inline calls between WebAssembly functions
        (local.set $r1 (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (local.set $r2 (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (f64.store (local.get $mask) (select (f64.const 0) (local.get $keep)
          (f64.lt
            (f64.div
              (f64.add
                (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $r1) (i32.const 5))) (f64.const 67108864))
                (f64.convert_i32_u (i32.shr_u (local.get $r2) (i32.const 6))))
              (f64.const 9007199254740992))
            (local.get $rate))))
        (local.set $mask (i32.add (local.get $mask) (i32.const 8)))
        (br $each)))
    (i32.store (local.get $state) (local.get $s0))
    (i32.store offset=4 (local.get $state) (local.get $s1))
    (i32.store offset=8 (local.get $state) (local.get $s2))
    (i32.store offset=12 (local.get $state) (local.get $s3)))
  ;; out = m ⊙ x over n doubles (out may be x): dropout's mask on a forward activation or a backward δ
  (func (export "product") (param $m i32) (param $x i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $out) (f64x2.mul (v128.load (local.get $m)) (v128.load (local.get $x))))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then (f64.store (local.get $out) (f64.mul (f64.load (local.get $m)) (f64.load (local.get $x)))))))
;; out = out + x over n doubles: an add node's sum and BP2's contributions through add and concat
  (func (export "addInto") (param $x i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $out) (f64x2.add (v128.load (local.get $out)) (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then (f64.store (local.get $out) (f64.add (f64.load (local.get $out)) (f64.load (local.get $x)))))))
  ;; the right decisions of rows × cols outputs a against targets y, as evaluate.ts counts them: with
  ;; labelwise 0 one per column whose largest a (the first of equals) is where y's largest is; with
  ;; labelwise 1 each column's share of units where a ≥ ½ matches y ≥ ½, summed from +0 in column order
  (func (export "countCorrect") (param $labelwise i32) (param $a i32) (param $y i32) (param $rows i32) (param $cols i32) (result f64)
    (local $c i32) (local $r i32) (local $at i32) (local $step i32) (local $right i32) (local $total f64)
    (local $bestA i32) (local $bestY i32) (local $maxA f64) (local $maxY f64) (local $va f64) (local $vy f64)
    (local.set $step (i32.shl (local.get $cols) (i32.const 3)))
    (block $columns
      (loop $column
        (br_if $columns (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $maxA (f64.load (i32.add (local.get $a) (local.get $at))))
        (local.set $maxY (f64.load (i32.add (local.get $y) (local.get $at))))
        (local.set $bestA (i32.const 0))
        (local.set $bestY (i32.const 0))
        (local.set $right (i32.const 0))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $va (f64.load (i32.add (local.get $a) (local.get $at))))
            (local.set $vy (f64.load (i32.add (local.get $y) (local.get $at))))
            (if (f64.gt (local.get $va) (local.get $maxA)) (then (local.set $maxA (local.get $va)) (local.set $bestA (local.get $r))))
            (if (f64.gt (local.get $vy) (local.get $maxY)) (then (local.set $maxY (local.get $vy)) (local.set $bestY (local.get $r))))
            (local.set $right (i32.add (local.get $right)
              (i32.eq (f64.ge (local.get $va) (f64.const 0.5)) (f64.ge (local.get $vy) (f64.const 0.5)))))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $total (f64.add (local.get $total)
          (if (result f64) (local.get $labelwise)
            (then (f64.div (f64.convert_i32_u (local.get $right)) (f64.convert_i32_u (local.get $rows))))
            (else (f64.convert_i32_u (i32.eq (local.get $bestA) (local.get $bestY)))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $column)))
    (local.get $total))
;; relu over n doubles: a = z where z > 0, else +0 (NaN too), as reluLoop
  (func (export "relu") (param $z i32) (param $a i32) (param $n i32)
    (local $i i32) (local $x v128)
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $x (v128.load (local.get $z)))
        (v128.store (local.get $a) (v128.and (local.get $x) (f64x2.gt (local.get $x) (v128.const f64x2 0 0))))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $x (v128.load64_zero (local.get $z)))
        (f64.store (local.get $a) (f64x2.extract_lane 0 (v128.and (local.get $x) (f64x2.gt (local.get $x) (v128.const f64x2 0 0))))))))
  ;; δ = g ⊙ relu′(z) with relu′ = 1 where z > 0, else 0, as reluSlopeLoop
  (func (export "reluSlope") (param $z i32) (param $g i32) (param $d i32) (param $n i32)
    (local $i i32)
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (v128.store (local.get $d) (f64x2.mul (v128.load (local.get $g))
          (v128.and (f64x2.gt (v128.load (local.get $z)) (v128.const f64x2 0 0)) (v128.const f64x2 1 1))))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (f64.store (local.get $d) (f64x2.extract_lane 0 (f64x2.mul (v128.load64_zero (local.get $g))
          (v128.and (f64x2.gt (v128.load64_zero (local.get $z)) (v128.const f64x2 0 0)) (v128.const f64x2 1 1))))))))
  ;; dst (cols × rows, its rows ldd doubles apart) = srcᵀ for src (rows × cols), both row-major: 2×2 blocks by two
  ;; shuffles, then the odd row and column; ldd > rows writes a block of a wider matrix's columns
  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $ldd i32)
    (local $i i32) (local $j i32) (local $x v128) (local $y v128) (local $from i32) (local $to i32) (local $rowBytes i32) (local $colBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $colBytes (i32.shl (local.get $ldd) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $doneRows
      (loop $pairs
        (br_if $doneRows (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $doneCols
          (loop $blocks
            (br_if $doneCols (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $cols)))
            (local.set $from (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3))))
            (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $ldd)) (local.get $i)) (i32.const 3))))
            (local.set $x (v128.load (local.get $from)))
            (local.set $y (v128.load (i32.add (local.get $from) (local.get $rowBytes))))
            (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x) (local.get $y)))
            (v128.store (i32.add (local.get $to) (local.get $colBytes)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $blocks)))
        (if (i32.lt_u (local.get $j) (local.get $cols))
          (then
            (local.set $from (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3))))
            (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $ldd)) (local.get $i)) (i32.const 3))))
            (f64.store (local.get $to) (f64.load (local.get $from)))
            (f64.store offset=8 (local.get $to) (f64.load (i32.add (local.get $from) (local.get $rowBytes))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $rows))
      (then
        (local.set $j (i32.const 0))
        (block $done
          (loop $last
            (br_if $done (i32.ge_u (local.get $j) (local.get $cols)))
            (f64.store
              (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $ldd)) (local.get $i)) (i32.const 3)))
              (f64.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $last))))))
  ;; b_j = (Σ_c δ[j·m + c]) / m for `rows` rows of m doubles (BP3 over a batch): each row summed from +0 in
  ;; column order as the JavaScript loop sums it, rows j and j + 1 in the two lanes of one f64x2
  (func (export "rowMeans") (param $d i32) (param $rows i32) (param $m i32) (param $out i32)
    (local $j i32) (local $c i32) (local $p i32) (local $q i32) (local $s v128) (local $rowBytes i32) (local $count v128)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 3)))
    (local.set $count (f64x2.splat (f64.convert_i32_u (local.get $m))))
    (local.set $j (i32.const 0))
    (block $doneRows
      (loop $pairs
        (br_if $doneRows (i32.ge_u (local.get $j) (local.get $rows)))
        (local.set $p (i32.add (local.get $d) (i32.mul (local.get $j) (local.get $rowBytes))))
        ;; an odd last row reads itself in lane 1 too, and only lane 0 is stored
        (local.set $q (select (i32.add (local.get $p) (local.get $rowBytes)) (local.get $p)
          (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $rows))))
        (local.set $s (v128.const f64x2 0 0))
        (local.set $c (i32.const 0))
        (block $done
          (loop $columns
            (br_if $done (i32.ge_u (local.get $c) (local.get $m)))
            (local.set $s (f64x2.add (local.get $s) (v128.load64_lane 1 (local.get $q) (v128.load64_zero (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $columns)))
        (local.set $s (f64x2.div (local.get $s) (local.get $count)))
        (f64.store (local.get $out) (f64x2.extract_lane 0 (local.get $s)))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $rows))
          (then (f64.store offset=8 (local.get $out) (f64x2.extract_lane 1 (local.get $s)))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs))))
  ;; δ = a − y over n doubles: BP1 for sigmoid with binary cross-entropy, fused
  (func (export "difference") (param $a i32) (param $y i32) (param $d i32) (param $n i32)
    (local $i i32)
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (v128.store (local.get $d) (f64x2.sub (v128.load (local.get $a)) (v128.load (local.get $y))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then (f64.store (local.get $d) (f64.sub (f64.load (local.get $a)) (f64.load (local.get $y)))))))
  ;; δ = a·(Σ_r y) − y per column of rows × cols (BP1 for softmax with cross-entropy, fused): each column's
  ;; targets summed from +0 in row order, as the JavaScript loop sums them, columns c and c + 1 in the two lanes
  (func (export "softmaxDelta") (param $a i32) (param $y i32) (param $d i32) (param $rows i32) (param $cols i32)
    (local $c i32) (local $r i32) (local $at i32) (local $s v128) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $c (i32.const 0))
    (block $donePairs
      (loop $pairs
        (br_if $donePairs (i32.gt_u (i32.add (local.get $c) (i32.const 2)) (local.get $cols)))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $s (v128.const f64x2 0 0))
        (local.set $r (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $s (f64x2.add (local.get $s) (v128.load (i32.add (local.get $y) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $sum)))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $stored
          (loop $store
            (br_if $stored (i32.ge_u (local.get $r) (local.get $rows)))
            (v128.store (i32.add (local.get $d) (local.get $at))
              (f64x2.sub (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $at))) (local.get $s)) (v128.load (i32.add (local.get $y) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $store)))
        (local.set $c (i32.add (local.get $c) (i32.const 2)))
        (br $pairs)))
    ;; an odd last column in lane 0 alone
    (if (i32.lt_u (local.get $c) (local.get $cols))
      (then
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $s (v128.const f64x2 0 0))
        (local.set $r (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $s (f64x2.add (local.get $s) (v128.load64_zero (i32.add (local.get $y) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $sum)))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $stored
          (loop $store
            (br_if $stored (i32.ge_u (local.get $r) (local.get $rows)))
            (f64.store (i32.add (local.get $d) (local.get $at))
              (f64.sub (f64.mul (f64.load (i32.add (local.get $a) (local.get $at))) (f64x2.extract_lane 0 (local.get $s))) (f64.load (i32.add (local.get $y) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $store))))))
  ;; sgd's general step as optimizers.ts writes it, for any λ, λ₁, μ (flags: 1 momentum, 2 nesterov, 4 measure):
  ;; g′ = g + λθ + λ₁·sign θ, b ← μb + g′ and d = g′ + μb with nesterov else b (d = g′ without momentum),
  ;; c = (−η)·d, θ ← θ + c; with measure, Σc² and Σθ′² summed in index order into out[0] and out[1];
  ;; returns Σg² of the raw g in sgd's four sums
  (global $moved (mut f64) (f64.const 0))
  (global $norm (mut f64) (f64.const 0))
  (func (export "sgdStep") (param $v i32) (param $g i32) (param $b i32) (param $n i32) (param $lr f64) (param $decay f64) (param $sparse f64)
    (param $mu f64) (param $flags i32) (param $out i32) (result f64)
    (local $i i32) (local $x v128) (local $s01 v128) (local $s23 v128)
    (global.set $moved (f64.const 0))
    (global.set $norm (f64.const 0))
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $x (v128.load (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $general (local.get $v) (local.get $b) (local.get $x) (i32.const 1) (local.get $lr) (local.get $decay) (local.get $sparse) (local.get $mu) (local.get $flags))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $x (v128.load64_zero (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $general (local.get $v) (local.get $b) (local.get $x) (i32.const 0) (local.get $lr) (local.get $decay) (local.get $sparse) (local.get $mu) (local.get $flags))))
    (f64.store (local.get $out) (global.get $moved))
    (f64.store offset=8 (local.get $out) (global.get $norm))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
  ;; the general step on two lanes ($both) or on lane 0 alone, loading and storing only what it steps
  (func $general (param $v i32) (param $b i32) (param $g v128) (param $both i32) (param $lr f64) (param $decay f64) (param $sparse f64)
    (param $mu f64) (param $flags i32)
    (local $theta v128) (local $buffer v128) (local $direction v128) (local $keep v128)
    (local.set $theta (call $load (local.get $v) (local.get $both)))
    (local.set $g (call $decayed (local.get $g) (local.get $theta) (local.get $decay) (local.get $sparse)))
    (local.set $direction (local.get $g))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        (local.set $keep (f64x2.splat (local.get $mu)))
        (local.set $buffer (f64x2.add (f64x2.mul (local.get $keep) (call $load (local.get $b) (local.get $both))) (local.get $g)))
        (call $store (local.get $b) (local.get $both) (local.get $buffer))
        (local.set $direction (if (result v128) (i32.and (local.get $flags) (i32.const 2))
          (then (f64x2.add (local.get $g) (f64x2.mul (local.get $keep) (local.get $buffer))))
          (else (local.get $buffer))))))
    (call $move (local.get $v) (local.get $both) (local.get $theta)
      (f64x2.mul (f64x2.splat (f64.neg (local.get $lr))) (local.get $direction)) (local.get $flags)))
  ;; RMSprop's step as optimizers.ts writes it (flags: 1 momentum, 4 measure): g′ as in sgdStep,
  ;; s ← ρs + ((1 − ρ)g′)g′, u = g′ / (√s + ε), b ← μb + u and d = b with momentum else u,
  ;; c = (−η)·d, θ ← θ + c; measuring and the result as sgdStep
  (func (export "rmspropStep") (param $v i32) (param $g i32) (param $b i32) (param $s i32) (param $n i32) (param $lr f64) (param $decay f64) (param $sparse f64)
    (param $rho f64) (param $eps f64) (param $mu f64) (param $flags i32) (param $out i32) (result f64)
    (local $i i32) (local $x v128) (local $s01 v128) (local $s23 v128)
    (global.set $moved (f64.const 0))
    (global.set $norm (f64.const 0))
    (local.set $i (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $x (v128.load (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $rms (local.get $v) (local.get $b) (local.get $s) (local.get $x) (i32.const 1) (local.get $lr) (local.get $decay) (local.get $sparse)
          (local.get $rho) (local.get $eps) (local.get $mu) (local.get $flags))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $x (v128.load64_zero (local.get $g)))
        (if (i32.and (local.get $i) (i32.const 2))
          (then (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x) (local.get $x)))))
          (else (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $x))))))
        (call $rms (local.get $v) (local.get $b) (local.get $s) (local.get $x) (i32.const 0) (local.get $lr) (local.get $decay) (local.get $sparse)
          (local.get $rho) (local.get $eps) (local.get $mu) (local.get $flags))))
    (f64.store (local.get $out) (global.get $moved))
    (f64.store offset=8 (local.get $out) (global.get $norm))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
  (func $load (param $at i32) (param $both i32) (result v128)
    (if (result v128) (local.get $both) (then (v128.load (local.get $at))) (else (v128.load64_zero (local.get $at)))))
  (func $store (param $at i32) (param $both i32) (param $x v128)
    (if (local.get $both) (then (v128.store (local.get $at) (local.get $x))) (else (f64.store (local.get $at) (f64x2.extract_lane 0 (local.get $x))))))
  ;; g′ = g + λθ + λ₁·sign θ, Math.sign's ±1, with θ itself for ±0 and NaN
  (func $decayed (param $g v128) (param $theta v128) (param $decay f64) (param $sparse f64) (result v128)
    (f64x2.add
      (f64x2.add (local.get $g) (f64x2.mul (f64x2.splat (local.get $decay)) (local.get $theta)))
      (f64x2.mul (f64x2.splat (local.get $sparse)) (v128.bitselect
        (v128.or (v128.and (local.get $theta) (v128.const i64x2 0x8000000000000000 0x8000000000000000)) (v128.const f64x2 1 1))
        (local.get $theta)
        (v128.and (f64x2.ne (local.get $theta) (v128.const f64x2 0 0)) (f64x2.eq (local.get $theta) (local.get $theta)))))))
  ;; θ ← θ + c, and with measure Σc² and Σθ′² in index order: lane 0, then lane 1 when both
  (func $move (param $v i32) (param $both i32) (param $theta v128) (param $change v128) (param $flags i32)
    (local.set $theta (f64x2.add (local.get $theta) (local.get $change)))
    (call $store (local.get $v) (local.get $both) (local.get $theta))
    (if (i32.and (local.get $flags) (i32.const 4))
      (then
        (global.set $moved (f64.add (global.get $moved) (f64.mul (f64x2.extract_lane 0 (local.get $change)) (f64x2.extract_lane 0 (local.get $change)))))
        (global.set $norm (f64.add (global.get $norm) (f64.mul (f64x2.extract_lane 0 (local.get $theta)) (f64x2.extract_lane 0 (local.get $theta)))))
        (if (local.get $both)
          (then
            (global.set $moved (f64.add (global.get $moved) (f64.mul (f64x2.extract_lane 1 (local.get $change)) (f64x2.extract_lane 1 (local.get $change)))))
            (global.set $norm (f64.add (global.get $norm) (f64.mul (f64x2.extract_lane 1 (local.get $theta)) (f64x2.extract_lane 1 (local.get $theta))))))))))
  (func $rms (param $v i32) (param $b i32) (param $s i32) (param $g v128) (param $both i32) (param $lr f64) (param $decay f64) (param $sparse f64)
    (param $rho f64) (param $eps f64) (param $mu f64) (param $flags i32)
    (local $theta v128) (local $square v128) (local $direction v128)
    (local.set $theta (call $load (local.get $v) (local.get $both)))
    (local.set $g (call $decayed (local.get $g) (local.get $theta) (local.get $decay) (local.get $sparse)))
    (local.set $square (f64x2.add
      (f64x2.mul (f64x2.splat (local.get $rho)) (call $load (local.get $s) (local.get $both)))
      (f64x2.mul (f64x2.mul (f64x2.splat (f64.sub (f64.const 1) (local.get $rho))) (local.get $g)) (local.get $g))))
    (call $store (local.get $s) (local.get $both) (local.get $square))
    (local.set $direction (f64x2.div (local.get $g) (f64x2.add (f64x2.sqrt (local.get $square)) (f64x2.splat (local.get $eps)))))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        (local.set $direction (f64x2.add (f64x2.mul (f64x2.splat (local.get $mu)) (call $load (local.get $b) (local.get $both))) (local.get $direction)))
        (call $store (local.get $b) (local.get $both) (local.get $direction))))
    (call $move (local.get $v) (local.get $both) (local.get $theta)
      (f64x2.mul (f64x2.splat (f64.neg (local.get $lr))) (local.get $direction)) (local.get $flags))))
