//! `cargo xtask man`: a page per idpctl command.

#[test]
fn writes_a_page_per_command() {
    let root = xtask::workspace_root();
    let dir = tempfile::tempdir().unwrap();
    let pages = xtask::man::man(&root, dir.path()).unwrap();
    let names: Vec<String> = pages
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    for expected in [
        "idpctl.1",
        "idpctl-vcf.1",
        "idpctl-vcf-idp-list.1",
        "idpctl-unleash-scim-token-rotate.1",
        "idpctl-config-set.1",
        "idpctl-sim.1",
        "idpctl-plan.1",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("generate-man")),
        "{names:?}"
    );
    let page = std::fs::read_to_string(dir.path().join("idpctl-config-set.1")).unwrap();
    assert!(page.contains("vcf\\-password"), "{page}");
}
