//! The page's Content Security Policy: no network of any kind, and only the page's own
//! script and style block, named by their SHA-256 hashes. Injected markup, if any ever got
//! in, could neither run (inline scripts and event handlers are refused) nor load anything.
//!
//! The hashes are SHA-256 (the `sha2` crate), written in standard base64 (the `base64`
//! crate), as CSP Level 2 requires.

/// The policy for a page whose only script is `script` and only style block is `style`.
///
/// # Examples
/// ```
/// let p = bordermap::html::csp::policy("x", "y");
/// assert!(p.starts_with("default-src 'none'; script-src 'sha256-"));
/// assert!(!p.contains("unsafe-inline") && !p.contains("http"));
/// ```
pub fn policy(script: &str, style: &str) -> String {
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src 'none'; \
         connect-src 'none'; font-src 'none'; media-src 'none'; object-src 'none'; \
         frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; \
         form-action 'none'",
        hash(script),
        hash(style),
    )
}

/// The CSP source hash of a script or style block: base64 of its SHA-256 digest.
///
/// # Examples
/// ```
/// // The example hash from the CSP Level 2 specification.
/// assert_eq!(
///     bordermap::html::csp::hash("alert('Hello, world.');"),
///     "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
/// );
/// ```
pub fn hash(block: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(block.as_bytes()))
}
