//! `notice-pdf serve` over real HTTP (issue 4): every route, caching, 404s, reload without a
//! restart, and keeping the last good version when an edit is broken.

mod common;

use std::time::{Duration, Instant};

use common::http::{get, request, start};

/// Polls until `f` holds (the server reloads every 100 ms).
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn data_copy(name: &str) -> std::path::PathBuf {
    let dir = common::scratch(name);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(common::fixture_file(), dir.join("data/kundservice.toml")).unwrap();
    dir.join("data")
}

#[test]
fn every_route_answers_as_documented() {
    let srv = start(&common::root().join("data"));
    let a = &srv.addr;

    let page = get(a, "/");
    assert_eq!(page.status, 200);
    assert!(page.headers["content-type"].starts_with("text/html"));
    let html = page.text();
    for want in [
        "<html lang=\"sv\">",
        "Kontakt med Avanzas kundservice",
        "Uppdaterad 20\u{a0}mars 2023",
        "2 sidor",
        ">Ladda ner PDF</a>",
        ">Stor stil (PDF)</a>",
        "href=\"/notices/kundservice.pdf\"",
        "href=\"/notices/kundservice.pdf?edition=large\"",
        "<img src=\"/notices/kundservice/pages/1.png\"",
        "alt=\"Sida 2 av 2\"",
    ] {
        assert!(html.contains(want), "agent page lacks {want:?}");
    }
    assert!(!html.contains("<script"), "no JavaScript");

    let list: serde_json::Value = serde_json::from_slice(&get(a, "/notices").body).unwrap();
    assert_eq!(list[0]["id"], "kundservice");
    assert_eq!(list[0]["updated"], "2023-03-20");
    assert_eq!(
        list[0]["editions"]["large"]["url"],
        "/notices/kundservice.pdf?edition=large"
    );

    let pdf = get(a, "/notices/kundservice.pdf");
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert_eq!(
        pdf.headers["content-disposition"],
        "attachment; filename=\"integritetsinformation-kundservice-2023-03-20.pdf\""
    );
    assert_eq!(
        pdf.body,
        common::render_real().pdf,
        "the served PDF is the library's rendering"
    );
    let etag = format!("\"{}\"", notice_pdf::sha256_hex(&pdf.body));
    assert_eq!(pdf.headers["etag"], etag);
    assert_eq!(
        list[0]["editions"]["standard"]["sha256"],
        notice_pdf::sha256_hex(&pdf.body)
    );

    let again = request(
        a,
        "GET",
        "/notices/kundservice.pdf",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = request(
        a,
        "GET",
        "/notices/kundservice.pdf",
        &[("If-None-Match", "\"abc\"")],
        b"",
    );
    assert_eq!(other.status, 200);

    let large = get(a, "/notices/kundservice.pdf?edition=large");
    assert_eq!(large.status, 200);
    assert_eq!(
        large.body,
        common::render_edition(notice_pdf::Edition::Large).pdf
    );
    assert!(
        large.headers["content-disposition"]
            .contains("integritetsinformation-kundservice-2023-03-20-stor-stil.pdf")
    );

    let png = get(a, "/notices/kundservice/pages/2.png");
    assert_eq!(png.status, 200);
    assert_eq!(png.headers["content-type"], "image/png");
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    let png_etag = png.headers["etag"].clone();
    assert_eq!(
        request(
            a,
            "GET",
            "/notices/kundservice/pages/2.png",
            &[("If-None-Match", &png_etag)],
            b""
        )
        .status,
        304
    );
    assert_eq!(
        get(a, "/notices/kundservice/pages/4.png?edition=large").status,
        200
    );

    let health = get(a, "/healthz");
    assert_eq!(health.status, 200);
    let h: serde_json::Value = serde_json::from_slice(&health.body).unwrap();
    assert_eq!(
        (h["status"].as_str(), h["notices"].as_u64()),
        (Some("ok"), Some(1))
    );

    // One audit line per PDF issued (not for a 304), with no request data in it.
    eventually("audit lines", || {
        srv.log.lock().unwrap().matches("audit: issued").count() == 3
    });
    let log = srv.log.lock().unwrap().clone();
    let sha12 = &notice_pdf::sha256_hex(&pdf.body)[..12];
    assert!(
        log.contains(&format!(
            "audit: issued id=kundservice version=2023-03-20 edition=standard sha256={sha12} at="
        )),
        "{log}"
    );
    assert!(
        !log.contains("127.0.0.1:") || log.lines().filter(|l| l.contains("127.0.0.1")).count() == 1,
        "only the listening line names an address"
    );
}

#[test]
fn requests_never_reach_the_file_system() {
    let srv = start(&common::root().join("data"));
    for path in [
        "/notices/..%2Fdata%2Fkundservice.toml",
        "/notices/..%2F..%2Fetc%2Fpasswd.pdf",
        "/notices/%2e%2e.pdf",
        "/notices/../data/kundservice.toml",
        "/notices/KUNDSERVICE.pdf",
        "/notices/kundservice.pdf/",
        "/notices/kundservice.toml",
        "/notices/kundservice",
        "/notices/kundservice.pdf?edition=huge",
        "/notices/kundservice/pages/0.png",
        "/notices/kundservice/pages/3.png",
        "/notices/kundservice/pages/1.jpg",
        "/notices/kundservice/pages/..%2F1.png",
        "/data/kundservice.toml",
        "/output/kundservice.pdf",
    ] {
        let r = get(&srv.addr, path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.text(), "not found\n", "{path}");
    }
    // Only GET: a large POST body is refused, and the server carries on.
    let post = request(
        &srv.addr,
        "POST",
        "/notices/kundservice.pdf",
        &[],
        &vec![b'x'; 100_000],
    );
    assert_eq!(post.status, 405);
    assert_eq!(get(&srv.addr, "/healthz").status, 200);
}

#[test]
fn edits_go_live_and_broken_edits_keep_the_last_good_version() {
    let data = data_copy("reload");
    let file = data.join("kundservice.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let srv = start(&data);
    let a = &srv.addr;
    let first = get(a, "/notices/kundservice.pdf").body;

    // A valid policy update: new title and date.
    let updated = original
        .replace(
            "title = \"Kontakt med Avanzas kundservice\"",
            "title = \"Kontakt med kundservice\"",
        )
        .replace("updated = \"2023-03-20\"", "updated = \"2024-05-02\"")
        .replace("uppdaterades 2023-03-20", "uppdaterades 2024-05-02");
    std::fs::write(&file, &updated).unwrap();
    eventually("the new title on /", || {
        get(a, "/").text().contains("Kontakt med kundservice</h2>")
    });
    let second = get(a, "/notices/kundservice.pdf");
    assert_ne!(second.body, first);
    assert!(
        second.headers["content-disposition"]
            .contains("integritetsinformation-kundservice-2024-05-02.pdf")
    );
    assert!(get(a, "/").text().contains("Uppdaterad 2\u{a0}maj 2024"));

    // A broken edit: the error shows, the last good version is still served.
    std::fs::write(
        &file,
        updated.replace("updated = \"2024-05-02\"", "updated = \"2024-13-02\""),
    )
    .unwrap();
    // `fs::write` truncates before it writes: a poll may first see a half-written file and
    // report that; wait for the error of the file as written.
    let expected = "kundservice.toml:12:11: updated: invalid date \"2024-13-02\"";
    let mut problem = String::new();
    eventually("healthz 503 with the located error", || {
        let r = get(a, "/healthz");
        let health: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        problem = health["problems"][0]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        r.status == 503 && problem.contains(expected)
    });
    assert!(problem.contains(expected), "{problem}");
    let page = get(a, "/").text();
    assert!(page.contains("Fel i underlaget"));
    assert!(page.contains("invalid date &quot;2024-13-02&quot;"));
    assert!(
        page.contains("Kontakt med kundservice</h2>"),
        "the last good version is still listed"
    );
    assert_eq!(
        get(a, "/notices/kundservice.pdf").body,
        second.body,
        "never a broken PDF"
    );

    // Fixed again: healthy, serving the fix.
    std::fs::write(&file, &original).unwrap();
    eventually("healthz 200", || get(a, "/healthz").status == 200);
    assert_eq!(get(a, "/notices/kundservice.pdf").body, first);
    let log = srv.log.lock().unwrap().clone();
    assert!(
        log.contains("reload: kundservice updated (version 2024-05-02)"),
        "{log}"
    );
    assert!(
        log.contains("(the last good version is still served)"),
        "{log}"
    );
}

#[test]
fn serve_refuses_to_start_with_nothing_to_serve() {
    let dir = common::scratch("serve-empty");
    let o = common::run(&dir, &["serve", "--addr", "127.0.0.1:0", "--data", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).starts_with("error: no notices in .: expected at least one *.toml file")
    );
}

#[test]
fn address_comes_from_notice_pdf_addr() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args([
            "serve",
            "--data",
            common::root().join("data").to_str().unwrap(),
        ])
        .env("NOTICE_PDF_ADDR", "127.0.0.1:0")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("notice-pdf serving 1 notice(s) on http://127.0.0.1:"),
        "{first}"
    );
    assert!(
        !first.contains(":8080/"),
        "the default address was not used: {first}"
    );
}
