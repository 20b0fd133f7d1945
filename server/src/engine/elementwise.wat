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
  ;; dst (cols × rows) = srcᵀ for src (rows × cols), both row-major: 2×2 blocks by two shuffles, then the odd row and column
  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $i i32) (local $j i32) (local $x v128) (local $y v128) (local $from i32) (local $to i32) (local $rowBytes i32) (local $colBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $doneRows
      (loop $pairs
        (br_if $doneRows (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $doneCols
          (loop $blocks
            (br_if $doneCols (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $cols)))
            (local.set $from (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3))))
            (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 3))))
            (local.set $x (v128.load (local.get $from)))
            (local.set $y (v128.load (i32.add (local.get $from) (local.get $rowBytes))))
            (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x) (local.get $y)))
            (v128.store (i32.add (local.get $to) (local.get $colBytes)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $blocks)))
        (if (i32.lt_u (local.get $j) (local.get $cols))
          (then
            (local.set $from (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3))))
            (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 3))))
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
              (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 3)))
              (f64.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $last)))))))
