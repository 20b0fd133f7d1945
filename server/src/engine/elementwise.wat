;; Element-wise steps of a training run on arrays resident in the kernel's
;; shared memory (byte offsets), in f64x2 lanes. Each lane's arithmetic is the
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
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23))))))
