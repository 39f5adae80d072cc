//! Deterministic pseudo-random numbers for synthetic data: the benchmark generators in
//! `bench/` and the brute-force and oracle tests draw from this one SplitMix64 generator, so
//! a seed gives the same incidents, queries and test cases on every machine.
//!
//! SplitMix64 (Steele, Lea and Flood, OOPSLA 2014) is a dozen lines; the project writes it
//! once here rather than take a random-number crate whose sequences may change between
//! versions, which would change the committed benchmark data and figures.

/// A SplitMix64 generator; the state is the seed.
///
/// # Examples
/// ```
/// use bordermap::synthetic::SplitMix64;
/// let mut a = SplitMix64(42);
/// let mut b = SplitMix64(42);
/// assert_eq!(a.next_u64(), b.next_u64());
/// let x = a.f64();
/// assert!((0.0..1.0).contains(&x));
/// assert!((70.0..71.0).contains(&a.range(70.0, 71.0))); // degrees, say
/// assert!(a.below(10) < 10);
/// ```
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)`, from the top 53 bits.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform number in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// A whole number in `0..n` (`n` > 0), the 64 bits modulo `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}
