;; The exp-based activations, their slopes, the loss sums and the bias
;; broadcast of a training run, on arrays resident in the kernel's shared
;; memory (byte offsets). exp, expm1, log, log1p and tanh are the fdlibm
;; algorithms that V8's Math runs (V8's exp(1) returns Math.E), so
;; each value is Math's, bit for bit; each loop takes the elements in the
;; JavaScript loop's order, so each sum is the JavaScript sum.
(module
  (import "env" "memory" (memory 1 32768 shared))
  ;; fdlibm's word access (__HI, __LO, __HI(y) += k << 20) is written out where it is used: V8 here does not
  ;; inline calls between WebAssembly functions, and calling it cost a fifth of sigmoid's time
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $h i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64)
    (local.set $h (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $h) (i32.const 31)))
    (local.set $h (i32.and (local.get $h) (i32.const 0x7fffffff)))
    (if (i32.ge_u (local.get $h) (i32.const 0x40862E42))
      (then
        (if (i32.ge_u (local.get $h) (i32.const 0x7ff00000))
          (then
            (if (i32.or (i32.and (local.get $h) (i32.const 0xfffff)) (i32.wrap_i64 (i64.reinterpret_f64 (local.get $x))))
              (then (return (f64.add (local.get $x) (local.get $x)))))
            (return (select (local.get $x) (f64.const 0) (i32.eqz (local.get $xsb))))))
        (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02))
          (then (return (f64.mul (f64.const 1e300) (f64.const 1e300)))))
        (if (f64.lt (local.get $x) (f64.const -7.45133219101941108420e+02))
          (then (return (f64.mul (f64.const 9.33263618503218878990e-302) (f64.const 9.33263618503218878990e-302)))))))
    (if (i32.gt_u (local.get $h) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $h) (i32.const 0x3FF0A2B2))
          (then
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 2.718281828459045))))
            (if (local.get $xsb)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const -1.90821492927058770002e-10))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const 1.90821492927058770002e-10))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_sat_f64_s (f64.add
              (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (i32.lt_u (local.get $h) (i32.const 0x3e300000))
          (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 1.66666666666666019037e-01) (f64.mul (local.get $t)
      (f64.add (f64.const -2.77777777770155933842e-03) (f64.mul (local.get $t)
      (f64.add (f64.const 6.61375632143793436117e-05) (f64.mul (local.get $t)
      (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1)
        (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021)) (then (return (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get $y)) (i64.shl (i64.extend_i32_s (local.get $k)) (i64.const 52)))))))
    (f64.mul (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get $y)) (i64.shl (i64.extend_i32_s (i32.add (local.get $k) (i32.const 1000))) (i64.const 52)))) (f64.const 9.33263618503218878990e-302)))

  ;; fdlibm's expm1, with V8's case for k = 1024 (y·2·2¹⁰²³ rather than an exponent past the top)
  (func $expm1 (export "expm1") (param $x f64) (result f64)
    (local $h i32) (local $xsb i32) (local $k i32) (local $y f64) (local $hi f64) (local $lo f64) (local $c f64)
    (local $t f64) (local $e f64) (local $hfx f64) (local $hxs f64) (local $r1 f64)
    (local.set $h (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.and (local.get $h) (i32.const 0x80000000)))
    (local.set $h (i32.and (local.get $h) (i32.const 0x7fffffff)))
    (if (i32.ge_u (local.get $h) (i32.const 0x4043687A))
      (then
        (if (i32.ge_u (local.get $h) (i32.const 0x40862E42))
          (then
            (if (i32.ge_u (local.get $h) (i32.const 0x7ff00000))
              (then
                (if (i32.or (i32.and (local.get $h) (i32.const 0xfffff)) (i32.wrap_i64 (i64.reinterpret_f64 (local.get $x))))
                  (then (return (f64.add (local.get $x) (local.get $x)))))
                (return (select (local.get $x) (f64.const -1) (i32.eqz (local.get $xsb))))))
            (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02))
              (then (return (f64.mul (f64.const 1e300) (f64.const 1e300)))))))
        (if (local.get $xsb) (then (return (f64.sub (f64.const 1e-300) (f64.const 1)))))))
    (if (i32.gt_u (local.get $h) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $h) (i32.const 0x3FF0A2B2))
          (then
            (if (i32.eqz (local.get $xsb))
              (then
                (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const 1.90821492927058770002e-10))
                (local.set $k (i32.const 1)))
              (else
                (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const -1.90821492927058770002e-10))
                (local.set $k (i32.const -1)))))
          (else
            (local.set $k (i32.trunc_sat_f64_s (f64.add
              (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
              (select (f64.const 0.5) (f64.const -0.5) (i32.eqz (local.get $xsb))))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo)))
        (local.set $c (f64.sub (f64.sub (local.get $hi) (local.get $x)) (local.get $lo))))
      (else
        (if (i32.lt_u (local.get $h) (i32.const 0x3c900000))
          (then
            (local.set $t (f64.add (f64.const 1e300) (local.get $x)))
            (return (f64.sub (local.get $x) (f64.sub (local.get $t) (f64.add (f64.const 1e300) (local.get $x)))))))))
    (local.set $hfx (f64.mul (f64.const 0.5) (local.get $x)))
    (local.set $hxs (f64.mul (local.get $x) (local.get $hfx)))
    (local.set $r1 (f64.add (f64.const 1) (f64.mul (local.get $hxs)
      (f64.add (f64.const -3.33333333333331316428e-02) (f64.mul (local.get $hxs)
      (f64.add (f64.const 1.58730158725481460165e-03) (f64.mul (local.get $hxs)
      (f64.add (f64.const -7.93650757867487942473e-05) (f64.mul (local.get $hxs)
      (f64.add (f64.const 4.00821782732936239552e-06) (f64.mul (local.get $hxs) (f64.const -2.01099218183624371326e-07))))))))))))
    (local.set $t (f64.sub (f64.const 3) (f64.mul (local.get $r1) (local.get $hfx))))
    (local.set $e (f64.mul (local.get $hxs)
      (f64.div (f64.sub (local.get $r1) (local.get $t)) (f64.sub (f64.const 6) (f64.mul (local.get $x) (local.get $t))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (local.get $x) (f64.sub (f64.mul (local.get $x) (local.get $e)) (local.get $hxs))))))
    (local.set $e (f64.sub (f64.mul (local.get $x) (f64.sub (local.get $e) (local.get $c))) (local.get $c)))
    (local.set $e (f64.sub (local.get $e) (local.get $hxs)))
    (if (i32.eq (local.get $k) (i32.const -1))
      (then (return (f64.sub (f64.mul (f64.const 0.5) (f64.sub (local.get $x) (local.get $e))) (f64.const 0.5)))))
    (if (i32.eq (local.get $k) (i32.const 1))
      (then
        (if (f64.lt (local.get $x) (f64.const -0.25))
          (then (return (f64.mul (f64.const -2) (f64.sub (local.get $e) (f64.add (local.get $x) (f64.const 0.5)))))))
        (return (f64.add (f64.const 1) (f64.mul (f64.const 2) (f64.sub (local.get $x) (local.get $e)))))))
    (if (i32.or (i32.le_s (local.get $k) (i32.const -2)) (i32.gt_s (local.get $k) (i32.const 56)))
      (then
        (local.set $y (f64.sub (f64.const 1) (f64.sub (local.get $e) (local.get $x))))
        (if (i32.eq (local.get $k) (i32.const 1024))
          (then (return (f64.sub (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 8.98846567431158e307)) (f64.const 1)))))
        (return (f64.sub (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get $y)) (i64.shl (i64.extend_i32_s (local.get $k)) (i64.const 52)))) (f64.const 1)))))
    (if (i32.lt_s (local.get $k) (i32.const 20))
      (then
        (local.set $t (f64.reinterpret_i64 (i64.or (i64.and (i64.reinterpret_f64 (f64.const 0)) (i64.const 0xffffffff)) (i64.shl (i64.extend_i32_u (i32.sub (i32.const 0x3ff00000) (i32.shr_s (i32.const 0x200000) (local.get $k)))) (i64.const 32)))))
        (local.set $y (f64.sub (local.get $t) (f64.sub (local.get $e) (local.get $x)))))
      (else
        (local.set $t (f64.reinterpret_i64 (i64.or (i64.and (i64.reinterpret_f64 (f64.const 0)) (i64.const 0xffffffff)) (i64.shl (i64.extend_i32_u (i32.shl (i32.sub (i32.const 0x3ff) (local.get $k)) (i32.const 20))) (i64.const 32)))))
        (local.set $y (f64.add (f64.sub (local.get $x) (f64.add (local.get $e) (local.get $t))) (f64.const 1)))))
    (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get $y)) (i64.shl (i64.extend_i32_s (local.get $k)) (i64.const 52)))))

  (func $log (export "log") (param $x f64) (result f64)
    (local $hx i32) (local $lx i32) (local $k i32) (local $i i32) (local $j i32)
    (local $f f64) (local $dk f64) (local $s f64) (local $z f64) (local $w f64) (local $r f64) (local $hfsq f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $lx (i32.wrap_i64 (i64.reinterpret_f64 (local.get $x))))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000))
      (then
        (if (i32.eqz (i32.or (i32.and (local.get $hx) (i32.const 0x7fffffff)) (local.get $lx)))
          (then (return (f64.const -inf))))
        (if (i32.lt_s (local.get $hx) (i32.const 0))
          (then (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))))
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 1.80143985094819840000e+16)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    (local.set $x (f64.reinterpret_i64 (i64.or (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff)) (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000)))) (i64.const 32)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3))
      (then
        (if (f64.eq (local.get $f) (f64.const 0))
          (then
            (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
            (return (f64.add (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01)) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))))
        (local.set $r (f64.mul (f64.mul (local.get $f) (local.get $f)) (f64.sub (f64.const 0.5) (f64.mul (f64.const 0.33333333333333333) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $r)))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
          (f64.sub (f64.sub (local.get $r) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))) (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $i (i32.sub (local.get $hx) (i32.const 0x6147a)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $j (i32.sub (i32.const 0x6b851) (local.get $hx)))
    ;; R = t2 + t1
    (local.set $r (f64.add
      (f64.mul (local.get $z) (f64.add (f64.const 6.666666666666735130e-01) (f64.mul (local.get $w)
        (f64.add (f64.const 2.857142874366239149e-01) (f64.mul (local.get $w)
        (f64.add (f64.const 1.818357216161805012e-01) (f64.mul (local.get $w) (f64.const 1.479819860511658591e-01))))))))
      (f64.mul (local.get $w) (f64.add (f64.const 3.999999999940941908e-01) (f64.mul (local.get $w)
        (f64.add (f64.const 2.222219843214978396e-01) (f64.mul (local.get $w) (f64.const 1.531383769920937332e-01))))))))
    (local.set $i (i32.or (local.get $i) (local.get $j)))
    (if (i32.gt_s (local.get $i) (i32.const 0))
      (then
        (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
        (if (i32.eqz (local.get $k))
          (then (return (f64.sub (local.get $f) (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))))))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
          (f64.sub
            (f64.sub (local.get $hfsq) (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))
            (local.get $f))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $r)))))))
    (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
      (f64.sub (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $r))) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))) (local.get $f))))

  ;; fdlibm's log1p as V8 (after FreeBSD) has it
  (func $log1p (export "log1p") (param $x f64) (result f64)
    (local $hx i32) (local $ax i32) (local $k i32) (local $hu i32)
    (local $f f64) (local $c f64) (local $u f64) (local $hfsq f64) (local $dk f64) (local $s f64) (local $z f64) (local $r f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $ax (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    (local.set $k (i32.const 1))
    (if (i32.lt_s (local.get $hx) (i32.const 0x3FDA827A))
      (then
        (if (i32.ge_u (local.get $ax) (i32.const 0x3ff00000))
          (then
            (if (f64.eq (local.get $x) (f64.const -1)) (then (return (f64.const -inf))))
            (return (f64.div (f64.sub (local.get $x) (local.get $x)) (f64.sub (local.get $x) (local.get $x))))))
        (if (i32.lt_u (local.get $ax) (i32.const 0x3e200000))
          (then
            (if (i32.lt_u (local.get $ax) (i32.const 0x3c900000)) (then (return (local.get $x))))
            (return (f64.sub (local.get $x) (f64.mul (f64.mul (local.get $x) (local.get $x)) (f64.const 0.5))))))
        (if (i32.or (i32.gt_s (local.get $hx) (i32.const 0)) (i32.le_s (local.get $hx) (i32.const 0xbfd2bec4)))
          (then
            (local.set $k (i32.const 0))
            (local.set $f (local.get $x))
            (local.set $hu (i32.const 1))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (if (local.get $k)
      (then
        (if (i32.lt_s (local.get $hx) (i32.const 0x43400000))
          (then
            (local.set $u (f64.add (f64.const 1) (local.get $x)))
            (local.set $hu (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $u)) (i64.const 32))))
            (local.set $k (i32.sub (i32.shr_s (local.get $hu) (i32.const 20)) (i32.const 1023)))
            (local.set $c (select
              (f64.sub (f64.const 1) (f64.sub (local.get $u) (local.get $x)))
              (f64.sub (local.get $x) (f64.sub (local.get $u) (f64.const 1)))
              (i32.gt_s (local.get $k) (i32.const 0))))
            (local.set $c (f64.div (local.get $c) (local.get $u))))
          (else
            (local.set $u (local.get $x))
            (local.set $hu (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $u)) (i64.const 32))))
            (local.set $k (i32.sub (i32.shr_s (local.get $hu) (i32.const 20)) (i32.const 1023)))
            (local.set $c (f64.const 0))))
        (local.set $hu (i32.and (local.get $hu) (i32.const 0x000fffff)))
        (if (i32.lt_s (local.get $hu) (i32.const 0x6a09e))
          (then (local.set $u (f64.reinterpret_i64 (i64.or (i64.and (i64.reinterpret_f64 (local.get $u)) (i64.const 0xffffffff)) (i64.shl (i64.extend_i32_u (i32.or (local.get $hu) (i32.const 0x3ff00000))) (i64.const 32))))))
          (else
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (local.set $u (f64.reinterpret_i64 (i64.or (i64.and (i64.reinterpret_f64 (local.get $u)) (i64.const 0xffffffff)) (i64.shl (i64.extend_i32_u (i32.or (local.get $hu) (i32.const 0x3fe00000))) (i64.const 32)))))
            (local.set $hu (i32.shr_s (i32.sub (i32.const 0x00100000) (local.get $hu)) (i32.const 2)))))
        (local.set $f (f64.sub (local.get $u) (f64.const 1)))))
    (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (if (i32.eqz (local.get $hu))
      (then
        (if (f64.eq (local.get $f) (f64.const 0))
          (then
            (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
            (local.set $c (f64.add (local.get $c) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))
            (return (f64.add (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01)) (local.get $c)))))
        (local.set $r (f64.mul (local.get $hfsq) (f64.sub (f64.const 1) (f64.mul (f64.const 0.66666666666666666) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $r)))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
          (f64.sub (f64.sub (local.get $r) (f64.add (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)) (local.get $c))) (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $r (f64.mul (local.get $z)
      (f64.add (f64.const 6.666666666666735130e-01) (f64.mul (local.get $z)
      (f64.add (f64.const 3.999999999940941908e-01) (f64.mul (local.get $z)
      (f64.add (f64.const 2.857142874366239149e-01) (f64.mul (local.get $z)
      (f64.add (f64.const 2.222219843214978396e-01) (f64.mul (local.get $z)
      (f64.add (f64.const 1.818357216161805012e-01) (f64.mul (local.get $z)
      (f64.add (f64.const 1.531383769920937332e-01) (f64.mul (local.get $z) (f64.const 1.479819860511658591e-01)))))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (local.get $f) (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))))))))
    (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
      (f64.sub
        (f64.sub (local.get $hfsq) (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r)))
          (f64.add (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)) (local.get $c))))
        (local.get $f))))
  ;; erf.ts's erfc x for x ≥ 0, operation for operation: e^(−x²) split at x's float32 rounding h
  ;; (e^(−h·h)·e^(−(x − h)(x + h))), times the series (x < 1) or the continued fraction (x ≤ 27.3)
  (func $erfcPositive (param $x f64) (result f64)
    (local $h f64) (local $e f64) (local $x2 f64) (local $term f64) (local $total f64) (local $n i32)
    (local $f f64) (local $c f64) (local $d f64) (local $a f64) (local $step f64)
    (if (f64.gt (local.get $x) (f64.const 27.3)) (then (return (f64.const 0))))
    (local.set $h (f64.promote_f32 (f32.demote_f64 (local.get $x))))
    (local.set $e (f64.mul
      (call $exp (f64.mul (f64.neg (local.get $h)) (local.get $h)))
      (call $exp (f64.mul (f64.neg (f64.sub (local.get $x) (local.get $h))) (f64.add (local.get $x) (local.get $h))))))
    (if (f64.lt (local.get $x) (f64.const 1))
      (then
        ;; (2x/√π) Σ (2x²)ⁿ / (1·3·…·(2n+1)), to 1e-17 of the sum or 199 terms
        (local.set $x2 (f64.mul (f64.mul (f64.const 2) (local.get $x)) (local.get $x)))
        (local.set $term (f64.const 1))
        (local.set $total (f64.const 1))
        (local.set $n (i32.const 1))
        (block $done
          (loop $terms
            (br_if $done (i32.ge_s (local.get $n) (i32.const 200)))
            (local.set $term (f64.mul (local.get $term)
              (f64.div (local.get $x2) (f64.convert_i32_s (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 1))))))
            (local.set $total (f64.add (local.get $total) (local.get $term)))
            (br_if $done (f64.lt (local.get $term) (f64.mul (local.get $total) (f64.const 1e-17))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $terms)))
        (return (f64.sub (f64.const 1)
          (f64.mul (f64.mul (f64.mul (f64.const 1.1283791670955126) (local.get $x)) (local.get $total)) (local.get $e))))))
    ;; 1/(x + ½/(x + 1/(x + …))) by the modified Lentz method
    (local.set $f (local.get $x))
    (local.set $c (local.get $x))
    (local.set $d (f64.const 0))
    (local.set $n (i32.const 1))
    (block $done
      (loop $terms
        (br_if $done (i32.ge_s (local.get $n) (i32.const 500)))
        (local.set $a (f64.div (f64.convert_i32_s (local.get $n)) (f64.const 2)))
        (local.set $d (f64.add (local.get $x) (f64.mul (local.get $a) (local.get $d))))
        (local.set $d (select (f64.const 1e-300) (f64.div (f64.const 1) (local.get $d)) (f64.eq (local.get $d) (f64.const 0))))
        (local.set $c (f64.add (local.get $x) (f64.div (local.get $a) (local.get $c))))
        (if (f64.eq (local.get $c) (f64.const 0)) (then (local.set $c (f64.const 1e-300))))
        (local.set $step (f64.mul (local.get $c) (local.get $d)))
        (local.set $f (f64.mul (local.get $f) (local.get $step)))
        (br_if $done (f64.lt (f64.abs (f64.sub (local.get $step) (f64.const 1))) (f64.const 1e-17)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $terms)))
    (f64.mul (f64.mul (local.get $e) (f64.const 0.5641895835477563)) (f64.div (f64.const 1) (local.get $f))))
  ;; Φ(z) = ½ erfc(−z/√2), as normalCdf
  (func $normalCdf (param $z f64) (result f64)
    (local $x f64)
    (local.set $x (f64.mul (f64.neg (local.get $z)) (f64.const 0.7071067811865476)))
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.mul (f64.const 0.5) (local.get $x)))))
    (f64.mul (f64.const 0.5)
      (if (result f64) (f64.ge (local.get $x) (f64.const 0))
        (then (call $erfcPositive (local.get $x)))
        (else (f64.sub (f64.const 2) (call $erfcPositive (f64.neg (local.get $x))))))))
  ;; over n doubles, gelu's a = z·Φ(z) (kind 0) or δ = g ⊙ (Φ(z) + z·φ(z)), φ(z) = e^(−z²/2)/√(2π) (kind 1)
  (func (export "gelu") (param $kind i32) (param $z i32) (param $g i32) (param $a i32) (param $n i32)
    (local $end i32) (local $v f64)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
        (local.set $v (f64.load (local.get $z)))
        (f64.store (local.get $a)
          (if (result f64) (local.get $kind)
            (then (f64.mul (f64.load (local.get $g)) (f64.add (call $normalCdf (local.get $v))
              (f64.mul (local.get $v)
                (f64.mul (f64.const 0.3989422804014327) (call $exp (f64.mul (f64.mul (f64.const -0.5) (local.get $v)) (local.get $v))))))))
            (else (f64.mul (local.get $v) (call $normalCdf (local.get $v))))))
        (local.set $z (i32.add (local.get $z) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $each))))
  ;; a = f(z) over n doubles, as activations.ts writes each f: kind 0 sigmoid (1 / (1 + e^−v) for v ≥ 0, else
  ;; eᵛ / (1 + eᵛ)), 1 silu (v·σ(v)), 2 leaky_relu (v where v > 0, else α·v), 3 elu (v, else α·(eᵛ − 1)), 4 selu
  ;; (λv, else (λ·α₀)·(eᵛ − 1)), 5 softplus (max(v, 0) + log1p(e^−|v|)); one loop per kind, each written out,
  ;; since V8 here calls rather than inlines a WebAssembly function
  (func (export "activate") (param $kind i32) (param $z i32) (param $a i32) (param $n i32) (param $alpha f64)
    (local $end i32) (local $v f64) (local $e f64)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 3))))
    (block $softplus
    (block $selu
    (block $elu
    (block $leaky
    (block $silu
    (block $sigmoid
      (br_table $sigmoid $silu $leaky $elu $selu $softplus $softplus (local.get $kind)))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $a) (if (result f64) (f64.ge (local.get $v) (f64.const 0)) (then (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v)))))) (else (local.set $e (call $exp (local.get $v))) (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $a) (f64.mul (local.get $v) (if (result f64) (f64.ge (local.get $v) (f64.const 0)) (then (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v)))))) (else (local.set $e (call $exp (local.get $v))) (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $a) (select (local.get $v) (f64.mul (local.get $alpha) (local.get $v)) (f64.gt (local.get $v) (f64.const 0))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $a) (if (result f64) (f64.gt (local.get $v) (f64.const 0)) (then (local.get $v)) (else (f64.mul (local.get $alpha) (call $expm1 (local.get $v))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $a) (if (result f64) (f64.gt (local.get $v) (f64.const 0)) (then (f64.mul (f64.const 1.0507009873554804934193349852946) (local.get $v))) (else (f64.mul (f64.mul (f64.const 1.0507009873554804934193349852946) (f64.const 1.6732632423543772848170429916717)) (call $expm1 (local.get $v))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $a) (f64.add (f64.max (local.get $v) (f64.const 0)) (call $log1p (call $exp (f64.neg (f64.abs (local.get $v)))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (br $each))))
  ;; δ = g ⊙ f′(z) over n doubles for the same kinds: 1 silu (s·(1 + v·(1 − s)), s = σ(v)), 2 leaky_relu (1, else
  ;; α), 3 elu (1, else α·eᵛ), 4 selu (λ, else (λ·α₀)·eᵛ), 5 softplus (σ(v)); sigmoid's is slopeFromA's
  (func (export "slopeFromZ") (param $kind i32) (param $z i32) (param $g i32) (param $d i32) (param $n i32) (param $alpha f64)
    (local $end i32) (local $v f64) (local $e f64) (local $s f64)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 3))))
    (block $softplus
    (block $selu
    (block $elu
    (block $leaky
    (block $silu
    (block $sigmoid
      (br_table $sigmoid $silu $leaky $elu $selu $softplus $softplus (local.get $kind)))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $d) (f64.mul (f64.load (local.get $g)) (f64.const 0)))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $d) (f64.mul (f64.load (local.get $g)) (block (result f64) (local.set $s (if (result f64) (f64.ge (local.get $v) (f64.const 0)) (then (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v)))))) (else (local.set $e (call $exp (local.get $v))) (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))))) (f64.mul (local.get $s) (f64.add (f64.const 1) (f64.mul (local.get $v) (f64.sub (f64.const 1) (local.get $s))))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $d) (f64.mul (f64.load (local.get $g)) (select (f64.const 1) (local.get $alpha) (f64.gt (local.get $v) (f64.const 0)))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $d) (f64.mul (f64.load (local.get $g)) (if (result f64) (f64.gt (local.get $v) (f64.const 0)) (then (f64.const 1)) (else (f64.mul (local.get $alpha) (call $exp (local.get $v)))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $d) (f64.mul (f64.load (local.get $g)) (if (result f64) (f64.gt (local.get $v) (f64.const 0)) (then (f64.const 1.0507009873554804934193349852946)) (else (f64.mul (f64.mul (f64.const 1.0507009873554804934193349852946) (f64.const 1.6732632423543772848170429916717)) (call $exp (local.get $v)))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br $each)))
      (return))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
          (local.set $v (f64.load (local.get $z)))
          (f64.store (local.get $d) (f64.mul (f64.load (local.get $g)) (if (result f64) (f64.ge (local.get $v) (f64.const 0)) (then (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v)))))) (else (local.set $e (call $exp (local.get $v))) (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))))))
          (local.set $z (i32.add (local.get $z) (i32.const 8)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br $each))))
  ;; a = tanh(z) over n doubles, fdlibm's tanh as V8 runs it, written out as the other activations' loops are
  (func (export "tanhAll") (param $z i32) (param $a i32) (param $n i32)
    (local $end i32) (local $v f64) (local $jx i32) (local $ix i32) (local $t f64) (local $w f64)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
        (local.set $v (f64.load (local.get $z)))
        (local.set $jx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $v)) (i64.const 32))))
        (local.set $ix (i32.and (local.get $jx) (i32.const 0x7fffffff)))
        (f64.store (local.get $a)
          (if (result f64) (i32.ge_u (local.get $ix) (i32.const 0x7ff00000))
            (then (select
              (f64.add (f64.div (f64.const 1) (local.get $v)) (f64.const 1))
              (f64.sub (f64.div (f64.const 1) (local.get $v)) (f64.const 1))
              (i32.ge_s (local.get $jx) (i32.const 0))))
            (else (if (result f64) (i32.lt_u (local.get $ix) (i32.const 0x3e300000))
              (then (local.get $v))
              (else
                (if (i32.lt_u (local.get $ix) (i32.const 0x40360000))
                  (then
                    (if (i32.ge_u (local.get $ix) (i32.const 0x3ff00000))
                      (then
                        (local.set $t (call $expm1 (f64.mul (f64.const 2) (f64.abs (local.get $v)))))
                        (local.set $w (f64.sub (f64.const 1) (f64.div (f64.const 2) (f64.add (local.get $t) (f64.const 2))))))
                      (else
                        (local.set $t (call $expm1 (f64.mul (f64.const -2) (f64.abs (local.get $v)))))
                        (local.set $w (f64.div (f64.neg (local.get $t)) (f64.add (local.get $t) (f64.const 2)))))))
                  (else (local.set $w (f64.sub (f64.const 1) (f64.const 1e-300)))))
                (select (local.get $w) (f64.neg (local.get $w)) (i32.ge_s (local.get $jx) (i32.const 0))))))))
        (local.set $z (i32.add (local.get $z) (i32.const 8)))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $each))))
  ;; δ = g ⊙ σ′ from a = σ(z): g·(a·(1 − a)) for sigmoid (kind 0), g·(1 − a·a) for tanh (kind 1)
  (func (export "slopeFromA") (param $kind i32) (param $a i32) (param $g i32) (param $d i32) (param $n i32)
    (local $end i32) (local $v f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $v (f64.load (local.get $a)))
        (f64.store (local.get $d) (f64.mul (f64.load (local.get $g))
          (if (result f64) (local.get $kind)
            (then (f64.sub (f64.const 1) (f64.mul (local.get $v) (local.get $v))))
            (else (f64.mul (local.get $v) (f64.sub (f64.const 1) (local.get $v)))))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $d (i32.add (local.get $d) (i32.const 8)))
        (br $each))))
  ;; the largest of column c of rows × cols doubles at z, from −∞ in row order as Math.max takes it
  (func $columnMax (param $z i32) (param $c i32) (param $rows i32) (param $cols i32) (result f64)
    (local $r i32) (local $max f64)
    (local.set $max (f64.const -inf))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $max (f64.max (local.get $max)
          (f64.load (i32.add (local.get $z) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 3))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each)))
    (local.get $max))
  ;; a = softmax(z) per column of rows × cols, as activations.ts: e = exp(z − max) in row order, summed, then a = e / sum
  (func (export "softmax") (param $z i32) (param $a i32) (param $rows i32) (param $cols i32)
    (local $c i32) (local $r i32) (local $max f64) (local $sum f64) (local $e f64) (local $at i32) (local $step i32)
    (local.set $step (i32.shl (local.get $cols) (i32.const 3)))
    (block $columns
      (loop $column
        (br_if $columns (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $max (call $columnMax (local.get $z) (local.get $c) (local.get $rows) (local.get $cols)))
        (local.set $sum (f64.const 0))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $e (call $exp (f64.sub (f64.load (i32.add (local.get $z) (local.get $at))) (local.get $max))))
            (f64.store (i32.add (local.get $a) (local.get $at)) (local.get $e))
            (local.set $sum (f64.add (local.get $sum) (local.get $e)))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $at (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 3))))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (f64.store (local.get $at) (f64.div (f64.load (local.get $at)) (local.get $sum)))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $column))))
  ;; δ = a ⊙ (g − Σ_r a·g) per column of rows × cols (softmax's backward product; δ may be g), the dot
  ;; summed from +0 in row order, as activations.ts computes it
  (func (export "softmaxSlope") (param $a i32) (param $g i32) (param $d i32) (param $rows i32) (param $cols i32)
    (local $c i32) (local $r i32) (local $at i32) (local $step i32) (local $dot f64) (local $v f64)
    (local.set $step (i32.shl (local.get $cols) (i32.const 3)))
    (block $columns
      (loop $column
        (br_if $columns (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $dot (f64.const 0))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $dot (f64.add (local.get $dot)
              (f64.mul (f64.load (i32.add (local.get $a) (local.get $at))) (f64.load (i32.add (local.get $g) (local.get $at))))))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $v (f64.load (i32.add (local.get $a) (local.get $at))))
            (f64.store (i32.add (local.get $d) (local.get $at))
              (f64.mul (local.get $v) (f64.sub (f64.load (i32.add (local.get $g) (local.get $at))) (local.get $dot))))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $column))))
  ;; Σ over n doubles from +0 in index order, as lossValue sums each: kind 0 mse's (a − y)² (before its ½),
  ;; 1 mae's |a − y|, 2 huber's ½d² where d = |a − y| ≤ δ else δ(d − ½δ), 3 the fused sigmoid binary
  ;; cross-entropy's max(z, 0) − z·y + log1p(e^−|z|) (a is then z), and the unfused losses on p, a clipped
  ;; to [10⁻¹², 1 − 10⁻¹²]: 4 binary cross-entropy's −(y log p + (1 − y) log(1 − p)), 5 cross-entropy's
  ;; −y log p where y ≠ 0 (−0 elsewhere, which leaves the sum as it is)
  (func (export "lossSum") (param $kind i32) (param $a i32) (param $y i32) (param $n i32) (param $delta f64) (result f64)
    (local $end i32) (local $d f64) (local $v f64) (local $total f64) (local $p f64) (local $t f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $v (f64.load (local.get $a)))
        (local.set $d (f64.sub (local.get $v) (f64.load (local.get $y))))
        (local.set $total (f64.add (local.get $total)
          (if (result f64) (i32.eqz (local.get $kind))
            (then (f64.mul (local.get $d) (local.get $d)))
            (else (if (result f64) (i32.eq (local.get $kind) (i32.const 1))
              (then (f64.abs (local.get $d)))
              (else (if (result f64) (i32.eq (local.get $kind) (i32.const 2))
                (then
                  (local.set $d (f64.abs (local.get $d)))
                  (if (result f64) (f64.le (local.get $d) (local.get $delta))
                    (then (f64.mul (f64.mul (f64.const 0.5) (local.get $d)) (local.get $d)))
                    (else (f64.mul (local.get $delta) (f64.sub (local.get $d) (f64.mul (f64.const 0.5) (local.get $delta)))))))
                (else (if (result f64) (i32.eq (local.get $kind) (i32.const 3))
                  (then (f64.add
                    (f64.sub (f64.max (local.get $v) (f64.const 0)) (f64.mul (local.get $v) (f64.load (local.get $y))))
                    (call $log1p (call $exp (f64.neg (f64.abs (local.get $v)))))))
                  (else
                    (local.set $p (select (f64.const 1e-12)
                      (select (f64.sub (f64.const 1) (f64.const 1e-12)) (local.get $v) (f64.gt (local.get $v) (f64.sub (f64.const 1) (f64.const 1e-12))))
                      (f64.lt (local.get $v) (f64.const 1e-12))))
                    (local.set $t (f64.load (local.get $y)))
                    (if (result f64) (i32.eq (local.get $kind) (i32.const 4))
                      (then (f64.neg (f64.add (f64.mul (local.get $t) (call $log (local.get $p)))
                        (f64.mul (f64.sub (f64.const 1) (local.get $t)) (call $log (f64.sub (f64.const 1) (local.get $p)))))))
                      (else (if (result f64) (f64.ne (local.get $t) (f64.const 0))
                        (then (f64.neg (f64.mul (local.get $t) (call $log (local.get $p)))))
                        (else (f64.const -0)))))))))))))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (br $each)))
    (local.get $total))
  ;; ∇ₐC per element as lossGradient writes it: kind 0 mse's a − y, 1 mae's sign(a − y) (Math.sign: ±0 and NaN
  ;; kept), 2 huber's a − y clamped to [−δ, δ], 3 binary cross-entropy's (a − y) / (a(1 − a)) inside the clip
  ;; (else 0), 4 cross-entropy's −y / a above the clip (0 where y = 0 or below it)
  (func (export "lossGradient") (param $kind i32) (param $a i32) (param $y i32) (param $g i32) (param $n i32) (param $delta f64)
    (local $end i32) (local $d f64) (local $v f64) (local $t f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $d (f64.sub (f64.load (local.get $a)) (f64.load (local.get $y))))
        (f64.store (local.get $g)
          (if (result f64) (i32.eqz (local.get $kind))
            (then (local.get $d))
            (else (if (result f64) (i32.eq (local.get $kind) (i32.const 1))
              (then (select (f64.const 1) (select (f64.const -1) (local.get $d) (f64.lt (local.get $d) (f64.const 0))) (f64.gt (local.get $d) (f64.const 0))))
              (else (if (result f64) (i32.eq (local.get $kind) (i32.const 2))
                (then (select (local.get $delta)
                  (select (f64.neg (local.get $delta)) (local.get $d) (f64.lt (local.get $d) (f64.neg (local.get $delta))))
                  (f64.gt (local.get $d) (local.get $delta))))
                (else
                  (local.set $v (f64.load (local.get $a)))
                  (local.set $t (f64.load (local.get $y)))
                  (if (result f64) (i32.eq (local.get $kind) (i32.const 3))
                    (then (select
                      (f64.div (f64.sub (local.get $v) (local.get $t)) (f64.mul (local.get $v) (f64.sub (f64.const 1) (local.get $v))))
                      (f64.const 0)
                      (i32.and (f64.gt (local.get $v) (f64.const 1e-12)) (f64.lt (local.get $v) (f64.sub (f64.const 1) (f64.const 1e-12))))))
                    (else (select
                      (select (f64.const 0) (f64.div (f64.neg (local.get $t)) (local.get $v)) (f64.eq (local.get $t) (f64.const 0)))
                      (f64.const 0)
                      (f64.gt (local.get $v) (f64.const 1e-12))))))))))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $each))))
  ;; Σ_c Σ_r y·(lse_c − z) over rows × cols, lse_c = max + log Σ_r exp(z − max), as losses.ts sums it
  (func (export "softmaxCrossEntropy") (param $z i32) (param $y i32) (param $rows i32) (param $cols i32) (result f64)
    (local $c i32) (local $r i32) (local $max f64) (local $sum f64) (local $lse f64) (local $total f64) (local $at i32) (local $step i32)
    (local.set $step (i32.shl (local.get $cols) (i32.const 3)))
    (block $columns
      (loop $column
        (br_if $columns (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $max (call $columnMax (local.get $z) (local.get $c) (local.get $rows) (local.get $cols)))
        (local.set $sum (f64.const 0))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $sum (f64.add (local.get $sum) (call $exp (f64.sub (f64.load (i32.add (local.get $z) (local.get $at))) (local.get $max)))))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $lse (f64.add (local.get $max) (call $log (local.get $sum))))
        (local.set $at (i32.shl (local.get $c) (i32.const 3)))
        (local.set $r (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $total (f64.add (local.get $total) (f64.mul (f64.load (i32.add (local.get $y) (local.get $at)))
              (f64.sub (local.get $lse) (f64.load (i32.add (local.get $z) (local.get $at)))))))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $column)))
    (local.get $total))
  ;; Σ|d| over n doubles from +0 in index order
  (func (export "absSum") (param $d i32) (param $n i32) (result f64)
    (local $end i32) (local $total f64)
    (local.set $end (i32.add (local.get $d) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
        (local.set $total (f64.add (local.get $total) (f64.abs (f64.load (local.get $d)))))
        (local.set $d (i32.add (local.get $d) (i32.const 8)))
        (br $each)))
    (local.get $total))
  ;; row j of z (m doubles) = bias[j], for `rows` rows: z = b 𝟏ᵀ before W a is added
  (func (export "fillRows") (param $bias i32) (param $rows i32) (param $m i32) (param $z i32)
    (local $j i32) (local $end i32) (local $b v128)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $j) (local.get $rows)))
        (local.set $b (v128.load64_splat (local.get $bias)))
        (local.set $end (i32.add (local.get $z) (i32.shl (local.get $m) (i32.const 3))))
        (block $pairs
          (loop $pair
            (br_if $pairs (i32.gt_u (i32.add (local.get $z) (i32.const 16)) (local.get $end)))
            (v128.store (local.get $z) (local.get $b))
            (local.set $z (i32.add (local.get $z) (i32.const 16)))
            (br $pair)))
        (if (i32.lt_u (local.get $z) (local.get $end))
          (then
            (f64.store (local.get $z) (f64.load (local.get $bias)))
            (local.set $z (local.get $end))))
        (local.set $bias (i32.add (local.get $bias) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $row)))))
