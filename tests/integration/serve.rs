//! `notice-pdf serve` over real HTTP (issue 4): every route, caching, 404s, reload without a
//! restart, and keeping the last good version when an edit is broken.

use crate::common;

use std::time::{Duration, Instant};

use common::http::{get, request, start, start_with};

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
    let srv = start(&data_copy("routes"));
    let a = &srv.addr;

    let page = get(a, "/");
    assert_eq!(page.status, 200);
    assert!(page.headers["content-type"].starts_with("text/html"));
    let html = page.text();
    for want in [
        "<html lang=\"sv\">",
        // Without a collection, the notice's publisher and label head the page.
        "<title>Integritetsinformation – kundservice</title>",
        "<span class=\"brand\">Avanza</span>",
        "<label for=\"val-kundservice\">Kontakt med Avanzas kundservice</label>",
        "<p class=\"summary\" id=\"om-kundservice\">Inspelade samtal, elektronisk kommunikation",
        "Uppdaterad 20\u{a0}mars\u{a0}2023 · 3 sidor · stor stil 5 sidor · version ",
        "href=\"/notices/kundservice.html\"",
        "value=\"standard\"><span class=\"wide\">Ladda ner valda (PDF)</span>",
        "value=\"large\"><span class=\"wide\">Valda i stor stil (PDF)</span>",
        "formaction=\"/pack.html\"><span class=\"wide\">Valda som webbsida (HTML)</span>",
        "data-url=\"https://www.avanza.se/sakerhet-villkor/behandling-av-personuppgifter/kontakt-med-avanzas-kundservice.html\"",
    ] {
        assert!(html.contains(want), "agent page lacks {want:?}");
    }
    // No thumbnails (and no logo without a collection); the notice is offered once.
    assert!(!html.contains("<img"), "{html}");
    assert_eq!(html.matches("kundservice.pdf").count(), 0, "{html}");
    // One script, our own file; the page works without it.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script src=\"/page.js\" defer></script>"));
    // The form with this notice chosen hands out the notice itself, collection or not.
    for edition in ["standard", "large"] {
        let chosen = get(
            a,
            &format!("/pack.pdf?valda=1&ids=kundservice&edition={edition}"),
        );
        let own = get(a, &format!("/notices/kundservice.pdf?edition={edition}"));
        assert_eq!((chosen.status, &chosen.body), (200, &own.body), "{edition}");
    }
    assert_eq!(
        get(a, "/pack.html?valda=1&ids=kundservice").text(),
        get(a, "/notices/kundservice.html").text()
    );

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

    // One audit line per PDF issued (not for a 304), with no request data in it; a notice
    // chosen on the page is audited as the notice.
    eventually("audit lines", || {
        srv.log.lock().unwrap().matches("audit: issued").count() == 7
    });
    let log = srv.log.lock().unwrap().clone();
    assert_eq!(
        log.matches("audit: issued id=kundservice version=2023-03-20 version_id=")
            .count(),
        7,
        "{log}"
    );
    let sha12 = &notice_pdf::sha256_hex(&pdf.body)[..12];
    assert!(
        log.contains(&format!(
            "audit: issued id=kundservice version=2023-03-20 version_id={} edition=standard sha256={sha12} at=",
            &notice_pdf::sha256_hex(&std::fs::read(common::fixture_file()).unwrap())[..8]
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
    let srv = start(&data_copy("no-fs"));
    for path in [
        "/notices/..%2Fdata%2Fkundservice.toml",
        "/notices/..%2F..%2Fetc%2Fpasswd.pdf",
        "/notices/%2e%2e.pdf",
        "/notices/../data/kundservice.toml",
        "/notices/KUNDSERVICE.pdf",
        "/notices/kundservice.pdf/",
        "/notices/kundservice.toml",
        "/notices/kundservice",
        "/notices/kundservice/pages/0.png",
        "/notices/kundservice/pages/4.png",
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
        get(a, "/")
            .text()
            .contains("Kontakt med kundservice</label>")
    });
    let second = get(a, "/notices/kundservice.pdf");
    assert_ne!(second.body, first);
    assert!(
        second.headers["content-disposition"]
            .contains("integritetsinformation-kundservice-2024-05-02.pdf")
    );
    assert!(
        get(a, "/")
            .text()
            .contains("Uppdaterad 2\u{a0}maj\u{a0}2024")
    );

    // A broken edit: the error shows, the last good version is still served.
    std::fs::write(
        &file,
        updated.replace("updated = \"2024-05-02\"", "updated = \"2024-13-02\""),
    )
    .unwrap();
    // `fs::write` truncates before it writes: a poll may first see a half-written file and
    // report that; wait for the error of the file as written.
    let expected = serde_json::json!({
        "file": "kundservice.toml", "line": 15, "col": 11, "field": "updated",
        "message": "invalid date \"2024-13-02\": expected a calendar date written YYYY-MM-DD",
        "last_good_served": true,
    });
    eventually("healthz 503 with the located error", || {
        let r = get(a, "/healthz");
        let health: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        r.status == 503 && health["problems"][0] == expected
    });
    let page = get(a, "/").text();
    assert!(page.contains("Fel i underlaget"));
    assert!(page.contains("Den senaste giltiga versionen visas nedan."));
    assert!(page.contains("invalid date &quot;2024-13-02&quot;"));
    assert!(
        page.contains("Kontakt med kundservice</label>"),
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
        log.contains(
            "reload: error: kundservice.toml:15:11: updated: invalid date \"2024-13-02\": \
             expected a calendar date written YYYY-MM-DD (its last good version is still served)"
        ),
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
        .args(["serve", "--data", data_copy("addr-env").to_str().unwrap()])
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

fn health(a: &str) -> (u16, serde_json::Value) {
    let r = get(a, "/healthz");
    (r.status, serde_json::from_slice(&r.body).unwrap())
}

/// The fixture with another id and title.
fn notice_text(id: &str, title: &str) -> String {
    std::fs::read_to_string(common::fixture_file())
        .unwrap()
        .replacen("id = \"kundservice\"", &format!("id = \"{id}\""), 1)
        .replacen(
            "title = \"Kontakt med Avanzas kundservice\"",
            &format!("title = \"{title}\""),
            1,
        )
}

#[test]
fn health_stays_unhealthy_while_a_file_is_invalid() {
    let data = data_copy("health-truth");
    let file = data.join("kundservice.toml");
    let srv = start(&data);
    let a = &srv.addr;
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        original.replace("id = \"kundservice\"", "id = \"Bad Id\""),
    )
    .unwrap();
    eventually("503", || health(a).0 == 503);
    // Many polls and settle intervals later, it still says so, names the place, and the page
    // still shows it.
    for _ in 0..25 {
        let (status, h) = health(a);
        assert_eq!(status, 503, "{h}");
        assert_eq!(h["problems"][0]["file"], "kundservice.toml");
        assert_eq!(
            (&h["problems"][0]["line"], &h["problems"][0]["col"]),
            (&6.into(), &6.into())
        );
        assert_eq!(h["problems"][0]["field"], "id");
        assert_eq!(h["notices"], 1, "the last good version is served");
        assert!(get(a, "/").text().contains("Fel i underlaget"));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get(a, "/notices/kundservice.pdf").status, 200);
    drop(srv);

    // A restart on the same directory: nothing valid is left, and it says why.
    let o = common::run(&data, &["serve", "--addr", "127.0.0.1:0", "--data", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).starts_with("error: ./kundservice.toml:6:6: id: invalid id \"Bad Id\""),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn a_restart_serves_every_valid_notice_and_reports_the_invalid_one() {
    let data = data_copy("restart-mixed");
    std::fs::write(data.join("b.toml"), "id = \"b\"\ntitle = \n").unwrap();
    let srv = start(&data);
    let (status, h) = health(&srv.addr);
    assert_eq!(status, 503);
    assert_eq!(h["notices"], 1);
    assert_eq!(h["problems"][0]["file"], "b.toml");
    assert_eq!(h["problems"][0]["line"], 2);
    assert_eq!(get(&srv.addr, "/notices/kundservice.pdf").status, 200);
    assert!(
        get(&srv.addr, "/")
            .text()
            .contains("Visas inte förrän felet är rättat.")
    );
    eventually("the problem in the log", || {
        srv.log.lock().unwrap().contains("error: b.toml:2:")
    });
}

#[test]
fn duplicate_ids_follow_one_rule_whatever_the_history() {
    // Start with b.toml, then add a.toml with the same id: a.toml sorts first and wins, live
    // and after a restart alike; b.toml is reported.
    let dir = common::scratch("dup-live");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("b.toml"), notice_text("x", "Från b")).unwrap();
    let srv = start(&data);
    assert!(get(&srv.addr, "/").text().contains("Från b"));
    std::fs::write(data.join("a.toml"), notice_text("x", "Från a")).unwrap();
    let check = |a: &str| {
        let (status, h) = health(a);
        let page = get(a, "/").text();
        status == 503
            && h["problems"][0]["file"] == "b.toml"
            && h["problems"][0]["field"] == "id"
            && page.contains("Från a")
            && !page.contains("Från b</h2>")
    };
    eventually("a.toml served, b.toml reported", || check(&srv.addr));
    drop(srv);
    let again = start(&data);
    assert!(check(&again.addr), "the same after a restart");
}

#[test]
fn a_half_written_file_is_not_taken_before_it_settles() {
    let data = data_copy("settle");
    let file = data.join("kundservice.toml");
    let full = std::fs::read_to_string(&file).unwrap();
    let srv = start_with(&data, &["--settle-ms", "1500"]);
    let a = &srv.addr;
    let before = get(a, "/notices/kundservice.pdf").body;
    // The first section only: valid TOML and a valid (shorter) notice.
    let cut = full.find("\n[[sections]]\nid = \"privatperson\"").unwrap();
    let partial = full[..cut].replace("2023-03-20", "2024-01-01");
    std::fs::write(&file, &partial).unwrap();
    for _ in 0..8 {
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(
            get(a, "/notices/kundservice.pdf").body,
            before,
            "not taken yet"
        );
    }
    // The rest arrives; the whole file is taken once it has settled.
    let whole = full.replace("2023-03-20", "2024-01-01");
    std::fs::write(&file, &whole).unwrap();
    eventually("the whole new version", || {
        get(a, "/")
            .text()
            .contains("Uppdaterad 1\u{a0}januari\u{a0}2024")
    });
    assert!(get(a, "/").text().contains("3 sidor"));
    let log = srv.log.lock().unwrap().clone();
    assert_eq!(
        log.matches("reload: kundservice updated").count(),
        1,
        "{log}"
    );
}

#[test]
fn every_response_carries_the_security_headers() {
    let srv = start(&data_copy("headers"));
    let a = &srv.addr;
    let etag = get(a, "/notices/kundservice.pdf").headers["etag"].clone();
    let mut responses = vec![];
    for path in [
        "/",
        "/style.css",
        "/healthz",
        "/notices",
        "/notices/kundservice.pdf",
        "/notices/kundservice/pages/1.png",
        "/page.js",
        // Without a collection: 404.
        "/pack.pdf",
        "/pack.json",
        "/nowhere",
    ] {
        responses.push((path, get(a, path)));
    }
    let not_modified = request(
        a,
        "GET",
        "/notices/kundservice.pdf",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(not_modified.status, 304);
    responses.push(("304", not_modified));
    responses.push((
        "POST",
        request(a, "POST", "/notices/kundservice.pdf", &[], b""),
    ));
    for (what, r) in &responses {
        let h = &r.headers;
        assert_eq!(
            h.get("x-content-type-options").map(String::as_str),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            h.get("referrer-policy").map(String::as_str),
            Some("no-referrer"),
            "{what}"
        );
        let csp = h
            .get("content-security-policy")
            .cloned()
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    }
    let html = get(a, "/").text();
    assert!(!html.contains("<style") && !html.contains("style=") && !html.contains("<script>"));
    assert!(!html.contains("onclick") && !html.contains("onchange"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/style.css\">"));
    assert_eq!(
        get(a, "/style.css").headers["content-type"],
        "text/css; charset=utf-8"
    );
}

#[test]
fn no_server_path_reaches_a_client() {
    let data = data_copy("paths");
    let data = data.canonicalize().unwrap();
    std::fs::write(data.join("broken.toml"), "id = \n").unwrap();
    std::os::unix::fs::symlink(data.join("nowhere.toml"), data.join("dangling.toml")).unwrap();
    let srv = start(&data);
    let secret = data.parent().unwrap().to_str().unwrap().to_owned();
    let (status, h) = health(&srv.addr);
    assert_eq!(status, 503);
    let files: Vec<_> = h["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files, ["broken.toml", "dangling.toml"]);
    for path in ["/healthz", "/", "/notices"] {
        let body = get(&srv.addr, path).text();
        assert!(
            !body.contains(&secret),
            "{path} names a server path: {body}"
        );
    }
}

#[test]
fn only_pdfs_actually_sent_are_audited() {
    use std::io::Write;
    let srv = start(&data_copy("audit"));
    let a = &srv.addr;
    assert_eq!(
        request(a, "HEAD", "/notices/kundservice.pdf", &[], b"").status,
        200
    );
    // Clients that send their request and go away before the answer.
    let req = b"GET /notices/kundservice.pdf HTTP/1.1\r\nHost: x\r\n\r\n";
    for _ in 0..20 {
        let mut s = std::net::TcpStream::connect(a).unwrap();
        s.write_all(req).unwrap();
        drop(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    // Answers that were received: one on its own connection, two on a kept-alive one that the
    // client closes after reading both.
    assert_eq!(get(a, "/notices/kundservice.pdf").status, 200);
    let mut s = std::net::TcpStream::connect(a).unwrap();
    for _ in 0..2 {
        s.write_all(req).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 65536];
        while !got.ends_with(b"%%EOF\n") {
            let n = std::io::Read::read(&mut s, &mut buf).unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
    }
    drop(s);
    eventually("three audit lines", || {
        srv.log.lock().unwrap().matches("audit: issued").count() >= 3
    });
    std::thread::sleep(Duration::from_millis(300));
    let log = srv.log.lock().unwrap().clone();
    assert_eq!(log.matches("audit: issued").count(), 3, "{log}");
}

#[test]
fn silent_connections_are_closed_and_cannot_starve_the_server() {
    use std::io::Read;
    let srv = start_with(
        &data_copy("silent"),
        &["--header-timeout-ms", "1000", "--max-connections", "64"],
    );
    let a = &srv.addr;
    // Twice as many silent connections as are served at once (bounded, loopback only).
    let silent: Vec<std::net::TcpStream> = (0..128)
        .map(|_| std::net::TcpStream::connect(a).unwrap())
        .collect();
    let started = Instant::now();
    let r = get(a, "/healthz");
    assert_eq!(r.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "answered in {:?}",
        started.elapsed()
    );
    // The server closes every silent connection itself.
    for mut s in silent {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut buf = [0u8; 64];
        let n = s.read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0, "closed by the server without an answer");
    }
    // A partial request head is cut off too.
    let mut s = std::net::TcpStream::connect(a).unwrap();
    std::io::Write::write_all(&mut s, b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    assert_eq!(get(a, "/healthz").status, 200);
}

/// Sets the soft limit of open files of this process (and of children started after).
fn set_soft_file_limit(n: libc::rlim_t) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid rlimit pointers.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = n.min(lim.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

#[test]
fn eleven_hundred_silent_sockets_under_the_default_file_limit_starve_nothing() {
    use std::os::unix::process::CommandExt;
    // Room for our own 1 100 sockets; the server starts with the common default of 1 024.
    set_soft_file_limit(4096);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"));
    // SAFETY: only async-signal-safe setrlimit between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
            lim.rlim_cur = 1024.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            Ok(())
        });
    }
    let srv = common::http::start_cmd(cmd, &data_copy("eleven-hundred"), &[]);
    let a = &srv.addr;
    let addr: std::net::SocketAddr = a.parse().unwrap();
    let silent: Vec<std::net::TcpStream> = (0..1100)
        .map(|_| std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(get(a, "/healthz").status, 200);
    assert_eq!(get(a, "/notices/kundservice.pdf").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered in {:?}",
        started.elapsed()
    );
    let log = srv.log.lock().unwrap().clone();
    assert!(!log.contains("Too many open files"), "{log}");
    drop(silent);
}

#[test]
fn sigterm_stops_the_server_even_with_a_partial_request_open() {
    use std::io::Write;
    let mut srv = start(&data_copy("sigterm"));
    let mut s = std::net::TcpStream::connect(&srv.addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost:").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: signals our own child process.
    assert_eq!(
        unsafe { libc::kill(srv.child.id() as i32, libc::SIGTERM) },
        0
    );
    exits_cleanly_within(&mut srv, Duration::from_secs(8), "SIGTERM");
}

/// Waits until the server exits, successfully, within `limit` of `what`.
fn exits_cleanly_within(srv: &mut common::http::Server, limit: Duration, what: &str) {
    let started = Instant::now();
    loop {
        if let Some(status) = srv.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return;
        }
        assert!(started.elapsed() < limit, "still running after {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_huge_file_is_refused_at_once_and_blocks_nothing() {
    let data = data_copy("huge");
    let srv = start(&data);
    let a = &srv.addr;
    // 50 MB: refused from its size, without being read.
    let f = std::fs::File::create(data.join("huge.toml")).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    eventually("the limit reported", || {
        let (_, h) = health(a);
        h["problems"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("a data file may be at most 1048576 bytes"))
    });
    // An edit to another file still goes live.
    let file = data.join("kundservice.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("2023-03-20", "2024-02-02")).unwrap();
    eventually("the edit live", || {
        get(a, "/")
            .text()
            .contains("Uppdaterad 2\u{a0}februari\u{a0}2024")
    });
    let log = srv.log.lock().unwrap().clone();
    assert_eq!(
        log.matches("huge.toml").count(),
        1,
        "reported once, not every poll: {log}"
    );
}

#[test]
fn the_page_escapes_what_the_data_says() {
    let data = data_copy("escape");
    let file = data.join("kundservice.toml");
    std::fs::write(
        &file,
        // Markup is refused in a title (it would print literally); these characters are text.
        notice_text("kundservice", "Räntor < 5 % & \\\"citat\\\" > 3"),
    )
    .unwrap();
    let srv = start(&data);
    let html = get(&srv.addr, "/").text();
    assert!(!html.contains("< 5 %"), "{html}");
    assert!(
        html.contains("Räntor &lt; 5 % &amp; &quot;citat&quot; &gt; 3"),
        "{html}"
    );
}

#[test]
fn a_changed_logo_goes_live_without_touching_the_data_file() {
    let dir = common::scratch("logo-reload");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let fixtures = common::root().join("tests/fixtures/exempelbanken");
    let rik = std::fs::read_to_string(fixtures.join("rik.toml")).unwrap();
    // Alone, without the collection: its link to another notice would be an error.
    std::fs::write(
        data.join("rich.toml"),
        rik.replace("(notice:leverantorer)", "(notice:rik)"),
    )
    .unwrap();
    let logo = data.join("exempelbanken.svg");
    std::fs::copy(fixtures.join("exempelbanken.svg"), &logo).unwrap();
    let srv = start(&data);
    let a = &srv.addr;
    let first = get(a, "/notices/rik.pdf").body;
    assert!(first.starts_with(b"%PDF-"));

    // A new colour in the logo: the PDF follows.
    let svg = std::fs::read_to_string(&logo).unwrap();
    std::fs::write(&logo, svg.replace("#d08a1e", "#1e5bd0")).unwrap();
    eventually("a different PDF", || {
        get(a, "/notices/rik.pdf").body != first
    });

    // The logo gone: a located error, and the last good version is still served.
    let served = get(a, "/notices/rik.pdf").body;
    std::fs::remove_file(&logo).unwrap();
    eventually("healthz 503 naming logo.file", || {
        let r = get(a, "/healthz");
        let health: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        r.status == 503 && health["problems"][0]["field"] == "logo.file"
    });
    assert_eq!(get(a, "/notices/rik.pdf").body, served);
}

#[test]
fn a_notice_whose_link_target_gets_an_address_is_served_with_the_link() {
    let data = collection_copy("peer-address");
    let srv = start(&data);
    let a = &srv.addr;
    // rik links to leverantorer, which has no address: alone, the link is plain text.
    let first = get(a, "/notices/rik.pdf").body;
    let file = data.join("leverantorer.toml");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "\n[[sections]]",
        "source_url = \"https://www.exempelbanken.se/integritet/leverantorer.html\"\n\n[[sections]]",
        1,
    );
    std::fs::write(&file, text).unwrap();
    // rik's own file is untouched; its PDF now leads to the address.
    eventually("rik's PDF with the link", || {
        get(a, "/notices/rik.pdf").body != first
    });
    let uris = common::pdf_uris(&get(a, "/notices/rik.pdf").body);
    assert!(
        uris.iter()
            .any(|u| u == "https://www.exempelbanken.se/integritet/leverantorer.html"),
        "{uris:?}"
    );
}

#[test]
fn one_chosen_notice_is_handed_out_as_its_own_document_not_a_pack() {
    let data = collection_copy("pack-one");
    let srv = start(&data);
    let a = &srv.addr;
    for (query, own) in [
        ("ids=rik", "/notices/rik.pdf"),
        ("ids=rik&edition=large", "/notices/rik.pdf?edition=large"),
    ] {
        let one = get(a, &format!("/pack.pdf?{query}"));
        let notice = get(a, own);
        assert_eq!(one.status, 200);
        assert_eq!(one.body, notice.body, "{query}");
        assert_eq!(
            one.headers["content-disposition"],
            notice.headers["content-disposition"]
        );
    }
    let html = get(a, "/pack.html?ids=rik").text();
    assert_eq!(html, get(a, "/notices/rik.html").text());
    // Two or more: a pack with its title page.
    let two = get(a, "/pack.pdf?ids=rik,kundkannedom");
    assert_ne!(two.body, get(a, "/notices/rik.pdf").body);
}

/// A copy of the fictional bank's collection in a scratch data directory.
fn collection_copy(name: &str) -> std::path::PathBuf {
    let data = common::scratch(name).join("data");
    common::copy_collection(&data);
    data
}

#[test]
fn the_pack_is_served_whole_or_chosen_in_the_collections_order() {
    let data = collection_copy("pack-serve");
    let srv = start(&data);
    let a = &srv.addr;

    let all = get(a, "/pack.pdf");
    assert_eq!(all.status, 200);
    assert_eq!(all.headers["content-type"], "application/pdf");
    assert_eq!(
        all.headers["content-disposition"],
        "attachment; filename=\"integritetsinformation-2024-05-20.pdf\""
    );
    let large = get(a, "/pack.pdf?edition=large");
    assert!(
        large.headers["content-disposition"]
            .contains("integritetsinformation-2024-05-20-stor-stil.pdf")
    );
    assert_ne!(large.body, all.body);

    // Any order, any spelling of the list: the same document and ETag.
    let one = get(a, "/pack.pdf?ids=rik,kundkannedom");
    for q in [
        "ids=kundkannedom,rik",
        "ids=rik&ids=kundkannedom",
        "ids=rik,,kundkannedom&ids=",
    ] {
        let r = get(a, &format!("/pack.pdf?{q}"));
        assert_eq!(
            (r.status, &r.headers["etag"]),
            (200, &one.headers["etag"]),
            "{q}"
        );
        assert_eq!(r.body, one.body, "{q}");
    }
    let again = request(
        a,
        "GET",
        "/pack.pdf?ids=kundkannedom,rik",
        &[("If-None-Match", one.headers["etag"].as_str())],
        b"",
    );
    assert_eq!(again.status, 304);
    // Unknown ids are 404; a form sent with nothing chosen is 400.
    let unknown = get(a, "/pack.pdf?ids=rik,okand");
    assert_eq!(
        (unknown.status, unknown.text().as_str()),
        (404, "no notice with the id \"okand\"\n")
    );
    assert_eq!(get(a, "/pack.pdf?edition=huge").status, 404);
    // A form sent with nothing chosen: the page again, the message next to the form.
    for route in ["/pack.pdf", "/pack.html"] {
        let none = get(a, &format!("{route}?valda=1&edition=standard"));
        assert_eq!(none.status, 400, "{route}");
        assert_eq!(none.headers["content-type"], "text/html; charset=utf-8");
        let page = none.text();
        let message = page
            .find(">Välj minst ett dokument.</p>")
            .unwrap_or_else(|| panic!("{route}: {page}"));
        let form = page.find("<form id=\"urval\"").unwrap();
        let buttons = page.find(">Ladda ner valda (PDF)</span>").unwrap();
        assert!(
            form < message && message < buttons,
            "{route}: next to the buttons"
        );
        assert_eq!(page.matches("type=\"checkbox\" name=\"ids\"").count(), 6);
    }
    // Every notice chosen is the whole pack: the same document, the same name.
    let every = get(
        a,
        "/pack.pdf?valda=1&edition=standard&ids=kundkannedom&ids=tjanster&ids=rattigheter\
         &ids=rik&ids=marknadsforing&ids=leverantorer",
    );
    assert_eq!(every.body, all.body);
    assert_eq!(
        every.headers["content-disposition"],
        all.headers["content-disposition"]
    );
    assert_eq!(
        get(
            a,
            "/pack.html?ids=rik,tjanster,kundkannedom,rattigheter,leverantorer,marknadsforing"
        )
        .text(),
        get(a, "/pack.html").text()
    );

    // What the page's script asks: the pages of a choice.
    let info: serde_json::Value =
        serde_json::from_slice(&get(a, "/pack.json?ids=rik,kundkannedom").body).unwrap();
    assert_eq!(info["notices"], serde_json::json!(["kundkannedom", "rik"]));
    assert_eq!(
        info["sha256"].as_str().unwrap(),
        one.headers["etag"].trim_matches('"')
    );
    assert!(info["pages"].as_u64().unwrap() >= 6);

    // The audit trail names every notice and version id the pack held.
    eventually("the audit line of the chosen pack", || {
        srv.log.lock().unwrap().contains(
            "audit: issued pack=integritetsinformation notices=kundkannedom@fb4cf20b,rik@6abb3a61 edition=standard",
        )
    });

    // The page: the groups in the collection's order, a checkbox per notice, both editions.
    let page = get(a, "/").text();
    let legends: Vec<usize> = [
        "<legend>När du blir kund hos oss</legend>",
        "<legend>Om du är kund hos oss</legend>",
        "<legend>Om du nås av vår kommunikation</legend>",
        "<legend>Om vi är i kontakt på andra sätt</legend>",
    ]
    .iter()
    .map(|l| page.find(l).unwrap_or_else(|| panic!("{l} in the page")))
    .collect();
    assert!(legends.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(page.matches("type=\"checkbox\" name=\"ids\"").count(), 6);
    let pages = |q: &str| -> u64 {
        let v: serde_json::Value =
            serde_json::from_slice(&get(a, &format!("/pack.json?{q}")).body).unwrap();
        v["pages"].as_u64().unwrap()
    };
    assert!(page.contains(&format!("Ladda ner allt ({} sidor)", pages(""))));
    assert!(page.contains(&format!(
        "Allt i stor stil ({} sidor)",
        pages("edition=large")
    )));
    assert!(page.contains("<script src=\"/page.js\" defer></script>"));
    assert_eq!(
        get(a, "/page.js").headers["content-type"],
        "text/javascript; charset=utf-8"
    );
}

#[test]
fn an_edited_notice_changes_the_pack() {
    let data = collection_copy("pack-reload");
    let srv = start(&data);
    let a = &srv.addr;
    let before = get(a, "/pack.pdf?ids=rik");
    let file = data.join("rik.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("När du ringer till oss", "När du ringer oss"),
    )
    .unwrap();
    eventually("a new pack", || {
        get(a, "/pack.pdf?ids=rik").headers["etag"] != before.headers["etag"]
    });
    // A notice left out of the collection is an error; the pack stays what it was.
    let served = get(a, "/pack.pdf");
    let c = data.join("collection.toml");
    let text = std::fs::read_to_string(&c).unwrap();
    std::fs::write(
        &c,
        text.replace("notices = [\"leverantorer\"]", "notices = []"),
    )
    .unwrap();
    eventually("the collection's error", || {
        let r = get(a, "/healthz");
        let h: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        r.status == 503
            && h["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["file"] == "collection.toml" && p["last_good_served"] == true)
    });
    assert_eq!(get(a, "/pack.pdf").body, served.body);
}

#[test]
fn the_html_alternatives_are_served_with_their_own_style_allowed_by_hash() {
    let data = collection_copy("html-serve");
    let srv = start(&data);
    let a = &srv.addr;
    let r = get(a, "/notices/rik.html");
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-type"], "text/html; charset=utf-8");
    let csp = &r.headers["content-security-policy"];
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("script-src"),
        "{csp}"
    );
    // Its logo is a picture inside the file, and only such pictures load.
    assert!(csp.contains("; img-src data:;"), "{csp}");
    assert!(
        r.text()
            .contains("<img class=\"logo\" src=\"data:image/svg+xml;base64,")
    );
    assert!(r.text().contains("<h1 id=\"rik\">"));
    let again = request(
        a,
        "GET",
        "/notices/rik.html",
        &[("If-None-Match", r.headers["etag"].as_str())],
        b"",
    );
    assert_eq!(again.status, 304);
    assert_eq!(get(a, "/notices/okand.html").status, 404);
    let pack = get(a, "/pack.html?ids=rik,kundkannedom").text();
    assert!(pack.find("id=\"kundkannedom\"").unwrap() < pack.find("id=\"rik\"").unwrap());
    assert_eq!(get(a, "/pack.html?ids=okand").status, 404);
    // The page links every notice's HTML and the whole pack's.
    let page = get(a, "/").text();
    assert!(page.contains("href=\"/notices/rik.html\"") && page.contains("href=\"/pack.html\""));
}

/// The fixture collection with a 900 KB comment of random letters in every notice: packs of
/// several megabytes (each carries its notices' data files), larger than socket buffers.
fn bulky_collection(name: &str) -> std::path::PathBuf {
    let data = collection_copy(name);
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".toml") || name == "collection.toml" {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        for _ in 0..11_500 {
            text.push_str("\n# ");
            for _ in 0..76 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push(ALPHABET[(x % 64) as usize] as char);
            }
        }
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
    data
}

#[test]
fn a_changed_logo_changes_every_pack_that_shows_it() {
    let data = collection_copy("pack-logo");
    // rik's own logo, which the collection does not show.
    let logo = data.join("rik-logo.svg");
    std::fs::copy(data.join("exempelbanken.svg"), &logo).unwrap();
    let rik = data.join("rik.toml");
    let text = std::fs::read_to_string(&rik).unwrap();
    std::fs::write(
        &rik,
        text.replace(
            "logo = { file = \"exempelbanken.svg\"",
            "logo = { file = \"rik-logo.svg\"",
        ),
    )
    .unwrap();
    let srv = start(&data);
    let a = &srv.addr;
    let paths = [
        "/notices/rik.pdf",
        "/pack.pdf?ids=rik",
        "/pack.pdf?ids=rik,tjanster",
        "/pack.pdf",
        "/pack.pdf?edition=large",
    ];
    let before: Vec<_> = paths.iter().map(|p| get(a, p)).collect();
    for (p, r) in paths.iter().zip(&before) {
        assert_eq!(r.status, 200, "{p}");
    }
    let svg = std::fs::read_to_string(&logo).unwrap();
    std::fs::write(&logo, svg.replace("#d08a1e", "#1e5bd0")).unwrap();
    eventually("a new notice PDF", || {
        get(a, "/notices/rik.pdf").body != before[0].body
    });
    for (p, old) in paths.iter().zip(&before) {
        let new = get(a, p);
        assert_eq!(new.status, 200, "{p}");
        assert_ne!(new.headers["etag"], old.headers["etag"], "{p}");
        assert_ne!(new.body, old.body, "{p}");
        assert_eq!(
            new.headers["etag"].trim_matches('"'),
            notice_pdf::sha256_hex(&new.body),
            "{p}"
        );
    }
    let info: serde_json::Value =
        serde_json::from_slice(&get(a, "/pack.json?ids=rik").body).unwrap();
    assert_eq!(
        info["sha256"].as_str().unwrap(),
        notice_pdf::sha256_hex(&get(a, "/pack.pdf?ids=rik").body)
    );
}

#[test]
fn a_pack_holding_a_notice_that_is_not_served_is_refused_naming_it() {
    let data = collection_copy("pack-unavailable");
    let rik = data.join("rik.toml");
    let good = std::fs::read_to_string(&rik).unwrap();
    // Invalid from the start (a link to no notice): no version of rik was ever served.
    std::fs::write(
        &rik,
        good.replace("(notice:leverantorer)", "(notice:okand)"),
    )
    .unwrap();
    let srv = start(&data);
    let a = &srv.addr;
    let (status, h) = health(a);
    assert_eq!(status, 503);
    assert_eq!(
        h["unavailable"]["rik"].as_str().unwrap().get(..9),
        Some("rik.toml:")
    );
    // The notice's own routes say the same.
    for route in [
        "/notices/rik.pdf",
        "/notices/rik.pdf?edition=large",
        "/notices/rik.html",
    ] {
        let r = get(a, route);
        let text = r.text();
        assert_eq!(r.status, 503, "{route}: {text}");
        assert!(
            text.starts_with("notice \"rik\" is not available: rik.toml:")
                && text.contains("okand"),
            "{route}: {text}"
        );
    }
    let r = get(a, "/notices/tjanster.pdf?edition=huge");
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            404,
            "no edition \"huge\": the editions are standard, large\n"
        )
    );
    // The page says so instead of offering a pack that would be refused.
    let page = get(a, "/").text();
    assert!(page.contains("Saknas: rik."), "{page}");
    assert!(!page.contains("href=\"/pack.pdf\""), "{page}");
    for route in ["/pack.pdf", "/pack.json", "/pack.html"] {
        for q in [
            "?ids=rik,tjanster",
            "?ids=tjanster,rik",
            "?ids=rik",
            "",
            "?edition=large",
        ] {
            let r = get(a, &format!("{route}{q}"));
            let text = r.text();
            assert_eq!(r.status, 503, "{route}{q}: {text}");
            assert!(
                text.starts_with("notice \"rik\" is not available: rik.toml:"),
                "{route}{q}: {text}"
            );
            assert!(text.contains("okand"), "{route}{q}: why: {text}");
        }
        assert_eq!(
            get(a, &format!("{route}?ids=tjanster")).status,
            200,
            "{route}"
        );
        // One set of rules, one wording, for every pack route.
        let r = get(a, &format!("{route}?ids=tjanster&edition=huge"));
        assert_eq!(
            (r.status, r.text().as_str()),
            (
                404,
                "no edition \"huge\": the editions are standard, large\n"
            ),
            "{route}"
        );
        let r = get(a, &format!("{route}?valda=1&edition=standard"));
        assert_eq!(r.status, 400, "{route}");
        assert!(r.text().contains("Välj minst ett dokument."), "{route}");
        let r = get(a, &format!("{route}?ids=tjanster,okand"));
        assert_eq!(
            (r.status, r.text().as_str()),
            (404, "no notice with the id \"okand\"\n"),
            "{route}"
        );
    }
    // Fixed: the packs follow, whole.
    std::fs::write(&rik, &good).unwrap();
    eventually("the pack with rik", || {
        get(a, "/pack.pdf?ids=rik,tjanster").status == 200
    });
    let info: serde_json::Value =
        serde_json::from_slice(&get(a, "/pack.json?ids=tjanster,rik").body).unwrap();
    let mut ids: Vec<&str> = info["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["rik", "tjanster"]);
}

#[test]
fn a_notice_with_an_invalid_date_makes_its_packs_refused_by_name() {
    let data = collection_copy("pack-bad-date");
    let rik = data.join("rik.toml");
    let text = std::fs::read_to_string(&rik).unwrap();
    std::fs::write(
        &rik,
        text.replace("updated = \"2024-05-02\"", "updated = \"2024-13-45\""),
    )
    .unwrap();
    let srv = start(&data);
    for route in ["/pack.pdf", "/pack.json", "/pack.html"] {
        let r = get(&srv.addr, &format!("{route}?ids=rik,tjanster"));
        assert_eq!(r.status, 503, "{route}: {}", r.text());
        assert!(r.text().contains("\"rik\""), "{route}: {}", r.text());
        assert!(
            !r.text().contains("a pack needs collection.toml"),
            "{}",
            r.text()
        );
    }
}

#[test]
fn a_removed_collection_is_reported_and_its_old_pack_is_not_served() {
    let data = collection_copy("collection-removed");
    let srv = start(&data);
    let a = &srv.addr;
    assert_eq!(get(a, "/pack.pdf").status, 200);
    assert_eq!(health(a).0, 200);
    let c = data.join("collection.toml");
    let text = std::fs::read_to_string(&c).unwrap();
    std::fs::remove_file(&c).unwrap();
    eventually("the removal reported", || {
        let (status, h) = health(a);
        status == 503
            && h["problems"].as_array().unwrap().iter().any(|p| {
                p["file"] == "collection.toml"
                    && p["message"].as_str().unwrap().contains("removed")
                    && p["last_good_served"] == false
            })
    });
    for route in ["/pack.pdf", "/pack.json", "/pack.html"] {
        let r = get(a, route);
        assert_eq!(r.status, 404, "{route}");
        assert!(
            r.text().contains("collection.toml was removed"),
            "{}",
            r.text()
        );
    }
    assert_eq!(get(a, "/notices/rik.pdf").status, 200);
    // The page offers no whole pack; a notice chosen alone is still handed out.
    let page = get(a, "/").text();
    assert!(!page.contains("href=\"/pack.pdf") && !page.contains("Allt i ett dokument"));
    assert_eq!(
        get(a, "/pack.pdf?valda=1&ids=rik").body,
        get(a, "/notices/rik.pdf").body
    );
    // Back: served again, and healthy.
    std::fs::write(&c, text).unwrap();
    eventually("the pack again", || get(a, "/pack.pdf").status == 200);
    eventually("healthy again", || health(a).0 == 200);
}

/// Bytes `n` in "… after N of M bytes were written)" of the first "not sent" line.
fn not_sent_counts(log: &str) -> (u64, u64) {
    let line = log
        .lines()
        .find(|l| l.starts_with("audit: not sent pack="))
        .unwrap();
    let tail = line.split(" after ").nth(1).unwrap();
    let mut words = tail.split(' ');
    let sent = words.next().unwrap().parse().unwrap();
    assert_eq!(words.next(), Some("of"));
    (sent, words.next().unwrap().parse().unwrap())
}

#[test]
fn an_answer_not_written_whole_is_audited_as_not_sent_with_what_was_sent() {
    let data = bulky_collection("audit-partial");
    let srv = start(&data);
    let a = &srv.addr;
    let whole = get(a, "/pack.pdf");
    assert!(whole.body.len() > 3_000_000, "{} bytes", whole.body.len());
    eventually("the whole pack issued", || {
        srv.log.lock().unwrap().contains("audit: issued pack=")
    });
    // A client that reads 1 000 bytes, waits past the grace an answer gets, and resets.
    let mut s = common::http::connect_small_window(a);
    let got = common::http::get_partly(&mut s, "/pack.pdf", 1000);
    assert!(got.starts_with(b"HTTP/1.1 200"));
    std::thread::sleep(audit_grace() * 2);
    drop(s);
    eventually("not sent", || {
        srv.log.lock().unwrap().contains("audit: not sent pack=")
    });
    let log = srv.log.lock().unwrap().clone();
    assert_eq!(log.matches("audit: issued").count(), 1, "{log}");
    let (sent, of) = not_sent_counts(&log);
    assert_eq!(of, whole.body.len() as u64, "{log}");
    assert!(sent >= 1000 && sent < of, "{log}");
}

/// The time an answer written whole gets before it counts as received.
fn audit_grace() -> Duration {
    notice_pdf::serve::GRACE
}

#[test]
fn a_client_that_does_not_read_cannot_hold_its_connection_slot() {
    let data = bulky_collection("send-timeout");
    let srv = start_with(
        &data,
        &["--max-connections", "1", "--send-timeout-ms", "500"],
    );
    let a = &srv.addr;
    let mut s = common::http::connect_small_window(a);
    common::http::get_partly(&mut s, "/pack.pdf", 1000);
    // The only connection slot is the silent reader's until its send times out; then this
    // request is served (the client waits at most 20 s).
    assert_eq!(get(a, "/healthz").status, 200);
    eventually("not sent", || {
        srv.log.lock().unwrap().contains("audit: not sent pack=")
    });
    drop(s);
}

#[test]
fn sighup_reads_the_data_again_and_every_exit_flushes_the_audit() {
    let data = bulky_collection("sighup");
    let mut srv = start_with(&data, &["--settle-ms", "600000"]);
    let a = srv.addr.clone();
    // An answer still being written when the signals come.
    let mut s = common::http::connect_small_window(&a);
    common::http::get_partly(&mut s, "/pack.pdf", 1000);
    let file = data.join("rik.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("När du ringer till oss", "När du ringer oss"),
    )
    .unwrap();
    let before = get(&a, "/pack.pdf?ids=rik").headers["etag"].clone();
    let pid = srv.child.id() as i32;
    // SAFETY: signals our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    // Taken at once, though the settle time is ten minutes.
    eventually("the edit taken on SIGHUP", || {
        get(&a, "/pack.pdf?ids=rik").headers["etag"] != before
    });
    assert!(
        srv.child.try_wait().unwrap().is_none(),
        "SIGHUP ended serve"
    );
    assert!(srv.log.lock().unwrap().contains("SIGHUP"));
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = srv.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    eventually("the pending audit line flushed", || {
        srv.log.lock().unwrap().contains("audit: not sent pack=")
    });
    drop(s);
}

/// Sends `raw` and reads the whole answer; returns its status and lower-cased head.
fn raw_answer(a: &str, raw: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(raw);
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    let text = String::from_utf8_lossy(&got).to_ascii_lowercase();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no answer: {text}"));
    (status, text.split("\r\n\r\n").next().unwrap().to_owned())
}

#[test]
fn the_http_parsers_own_answers_carry_the_security_headers() {
    let srv = start(&data_copy("parser-headers"));
    let a = &srv.addr;
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..200)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect::<String>()
    );
    for (raw, want) in [
        (b"BLAH\x01 / HTTP/1.1\r\n\r\n".to_vec(), 400),
        (long_uri.into_bytes(), 414),
        (many_headers.into_bytes(), 431),
    ] {
        let (status, head) = raw_answer(a, &raw);
        assert_eq!(status, want, "{head}");
        for h in [
            "x-content-type-options: nosniff",
            "referrer-policy: no-referrer",
            "x-frame-options: deny",
            "content-security-policy: default-src 'none';",
        ] {
            assert!(head.contains(h), "{want} lacks {h}: {head}");
        }
    }
    assert_eq!(get(a, "/healthz").status, 200);
}

#[test]
fn a_bad_logo_is_reported_with_data_relative_paths_and_no_debug_dump() {
    let dir = common::scratch("logo-paths");
    let data = dir.join("data").canonicalize().unwrap_or_else(|_| {
        std::fs::create_dir_all(dir.join("data")).unwrap();
        dir.join("data").canonicalize().unwrap()
    });
    common::copy_collection(&data);
    let srv = start(&data);
    let a = &srv.addr;
    std::fs::write(data.join("exempelbanken.svg"), "<svg nonsense").unwrap();
    eventually("the logo's problem", || health(a).0 == 503);
    let secret = dir.to_str().unwrap();
    let (_, h) = health(a);
    let messages: Vec<&str> = h["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    let page = get(a, "/").text();
    for text in messages.iter().copied().chain([page.as_str()]) {
        for dump in ["{ ", " }", "Some(", "Error(", "Err(", "Ok("] {
            assert!(!text.contains(dump), "a Debug dump ({dump}): {text}");
        }
    }
    for path in [
        "/healthz",
        "/",
        "/notices",
        "/pack.pdf",
        "/pack.pdf?ids=rik",
    ] {
        let body = get(a, path).text();
        assert!(!body.contains(secret), "{path} names a server path: {body}");
    }
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("exempelbanken.svg: ")),
        "{messages:?}"
    );
}

/// The fixture collection and `more` copies of its notices under new ids, in a group of
/// their own: a collection of 6 + `more` notices.
fn large_collection(name: &str, more: usize) -> (std::path::PathBuf, Vec<String>) {
    let data = collection_copy(name);
    let base = [
        "kundkannedom",
        "leverantorer",
        "marknadsforing",
        "rattigheter",
        "rik",
        "tjanster",
    ];
    let mut ids: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    for i in 0..more {
        let src = base[i % base.len()];
        let id = format!("{src}{i:02}");
        let text = std::fs::read_to_string(data.join(format!("{src}.toml")))
            .unwrap()
            .replacen(&format!("id = \"{src}\""), &format!("id = \"{id}\""), 1);
        std::fs::write(data.join(format!("{id}.toml")), text).unwrap();
        ids.push(id);
    }
    let c = data.join("collection.toml");
    let mut text = std::fs::read_to_string(&c).unwrap();
    let extra: Vec<String> = ids[base.len()..]
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect();
    text.push_str(&format!(
        "\n[[groups]]\ntitle = \"Fler\"\nnotices = [{}]\n",
        extra.join(", ")
    ));
    std::fs::write(&c, text).unwrap();
    (data, ids)
}

/// A field of /proc/PID/status, in MB.
fn proc_status_mb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        / 1024
}

#[test]
fn many_distinct_pack_requests_keep_renders_and_memory_bounded() {
    let (data, ids) = large_collection("pack-flood", 44);
    let srv = start(&data);
    let a = srv.addr.clone();
    let pid = srv.child.id();
    let before = proc_status_mb(pid, "VmRSS");
    // 64 clients at once, each asking for a different half of the 50 notices.
    let clients: Vec<_> = (0..64u64)
        .map(|k| {
            let mut x = k.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            let chosen: Vec<&str> = ids
                .iter()
                .filter(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x % 2 == 0
                })
                .map(String::as_str)
                .collect();
            let path = format!("/pack.pdf?ids={}", chosen.join(","));
            let a = a.clone();
            std::thread::spawn(move || get(&a, &path))
        })
        .collect();
    let mut most = 0;
    while clients.iter().any(|c| !c.is_finished()) {
        let (_, h) = health(&a);
        let running = h["pack_renders"]["running"].as_u64().unwrap();
        assert!(running <= h["pack_renders"]["max"].as_u64().unwrap(), "{h}");
        most = most.max(running);
        std::thread::sleep(Duration::from_millis(100));
    }
    let peak = proc_status_mb(pid, "VmHWM");
    // Measured (debug build): bounded, the server grew by 90 MB; unbounded (--pack-renders 64
    // --render-wait-ms 60000), by 287 MB.
    assert!(
        peak < before + PEAK_GROWTH_MB,
        "peak {peak} MB from {before} MB before the requests"
    );
    let mut ok = 0;
    for c in clients {
        let r = c.join().unwrap();
        match r.status {
            200 => ok += 1,
            // Waited its turn for the whole wait: told when to come back.
            503 => assert!(r.headers.contains_key("retry-after"), "{}", r.text()),
            other => panic!("{other}: {}", r.text()),
        }
    }
    assert!(
        ok >= 2 && most >= 1,
        "{ok} packs made, at most {most} at once"
    );
}

/// How much the server may grow under the flood above: two renders and the cache.
const PEAK_GROWTH_MB: u64 = 200;

#[test]
fn thumbnails_are_drawn_a_few_at_a_time_off_the_request_threads() {
    let (data, ids) = large_collection("thumb-flood", 14);
    let srv = start(&data);
    let a = srv.addr.clone();
    let clients: Vec<_> = ids
        .iter()
        .flat_map(|id| ["", "?edition=large"].map(|q| format!("/notices/{id}/pages/1.png{q}")))
        .map(|path| {
            let a = a.clone();
            std::thread::spawn(move || get(&a, &path))
        })
        .collect();
    // While they are drawn, the probe answers and counts them.
    while clients.iter().any(|c| !c.is_finished()) {
        let (_, h) = health(&a);
        let t = &h["thumbnail_renders"];
        assert!(
            t["running"].as_u64().unwrap() <= t["max"].as_u64().unwrap(),
            "{h}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for c in clients {
        let r = c.join().unwrap();
        match r.status {
            200 => assert!(r.body.starts_with(b"\x89PNG")),
            503 => assert!(r.headers.contains_key("retry-after")),
            other => panic!("{other}"),
        }
    }
}

#[test]
fn hostile_logos_never_end_the_server_at_load_on_reload_or_on_restart() {
    let data = collection_copy("hostile-logos");
    let logo = data.join("exempelbanken.svg");
    let good = std::fs::read_to_string(&logo).unwrap();
    let hostile = [
        r#"<path d="M0 0L3e38 3e38L0 3e38Z"/>"#,
        r#"<rect width="10" height="10" transform="matrix(3e38 0 0 3e38 0 0)"/>"#,
        r#"<rect x="-3e38" y="-3e38" width="3e38" height="3e38"/>"#,
        r#"<g transform="scale(3e38)"><rect width="1" height="1"/></g>"#,
        r##"<linearGradient id="g" x1="0" x2="3e38" gradientUnits="userSpaceOnUse"><stop offset="0"/><stop offset="1" stop-color="#fff"/></linearGradient><rect width="10" height="10" fill="url(#g)"/>"##,
        r#"<pattern id="p" width="3e38" height="3e38" patternUnits="userSpaceOnUse"><rect width="1" height="1"/></pattern><rect width="10" height="10" fill="url(#p)"/>"#,
        r#"<clipPath id="c"><rect width="3e38" height="3e38"/></clipPath><rect width="10" height="10" clip-path="url(#c)"/>"#,
        // The thumbnails' rasteriser panicked on this one.
        r#"<rect width="10" height="10" stroke="black" stroke-width="3e38"/>"#,
    ];
    let svg = |body: &str| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="40" viewBox="0 0 96 40">{body}</svg>"#
        )
    };
    let mut srv = start(&data);
    for body in hostile {
        // On reload: the server stays up and serves; a logo it cannot draw is the logo's
        // problem, never the process's.
        std::fs::write(&logo, svg(body)).unwrap();
        std::thread::sleep(Duration::from_millis(400));
        for path in [
            "/healthz",
            "/",
            "/pack.pdf",
            "/notices/rik.pdf",
            "/notices/rik/pages/1.png",
            "/notices/rik/pages/1.png?edition=large",
        ] {
            let r = get(&srv.addr, path);
            // A thumbnail that cannot be drawn is that request's 500; a notice whose logo is
            // refused at load is unavailable, and the answer says why.
            assert!(
                matches!(r.status, 200 | 500 | 503),
                "{body}: {path}: {}",
                r.status
            );
            if path == "/notices/rik.pdf" && r.status == 503 {
                assert!(
                    r.text().starts_with("notice \"rik\" is not available"),
                    "{body}"
                );
            }
        }
        assert!(
            srv.child.try_wait().unwrap().is_none(),
            "{body}: the server ended"
        );
        // On restart with it: it starts, and serves the notices that do not show it.
        drop(srv);
        srv = start(&data);
        assert_eq!(
            get(&srv.addr, "/notices/tjanster.pdf").status,
            200,
            "{body}"
        );
        let thumb = get(&srv.addr, "/notices/rik/pages/1.png");
        assert!(matches!(thumb.status, 200 | 404 | 500), "{body}");
        let (status, h) = health(&srv.addr);
        if status == 503 {
            let files: Vec<&str> = h["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["file"].as_str().unwrap())
                .collect();
            assert!(
                files
                    .iter()
                    .all(|f| ["rik.toml", "collection.toml"].contains(f)),
                "{h}"
            );
        }
        std::fs::write(&logo, &good).unwrap();
        eventually("rik served again with the good logo", || {
            get(&srv.addr, "/notices/rik.pdf").status == 200
        });
    }
}

#[test]
fn a_removed_notice_is_reported_and_its_packs_are_refused_by_name() {
    let data = collection_copy("notice-removed");
    let srv = start(&data);
    let a = &srv.addr;
    assert_eq!(get(a, "/pack.pdf?ids=rik,tjanster").status, 200);
    std::fs::remove_file(data.join("rik.toml")).unwrap();
    eventually("the removal reported", || {
        let (status, h) = health(a);
        status == 503 && h["unavailable"]["rik"] == "no data file has the id \"rik\""
    });
    for route in ["/pack.pdf", "/pack.json", "/pack.html"] {
        for q in ["?ids=rik,tjanster", "?ids=rik", ""] {
            let r = get(a, &format!("{route}{q}"));
            assert_eq!(
                (r.status, r.text().as_str()),
                (
                    503,
                    "notice \"rik\" is not available: no data file has the id \"rik\"\n"
                ),
                "{route}{q}"
            );
        }
    }
    // The notice's own route says the same.
    let r = get(a, "/notices/rik.pdf");
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            503,
            "notice \"rik\" is not available: no data file has the id \"rik\"\n"
        )
    );
    assert_eq!(get(a, "/pack.pdf?ids=tjanster").status, 200);
}

#[test]
fn requests_whose_clients_have_gone_start_no_render() {
    use std::io::Write;
    let (data, ids) = large_collection("pack-gone", 44);
    let srv = start_with(&data, &["--pack-renders", "1", "--render-wait-ms", "60000"]);
    let a = &srv.addr;
    // 32 clients ask for distinct packs (all but two notices each) and queue behind one
    // render; then they go away.
    let clients: Vec<std::net::TcpStream> = (0..32usize)
        .map(|k| {
            let chosen: Vec<&str> = ids
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k && *i != k + 7)
                .map(|(_, id)| id.as_str())
                .collect();
            let mut s = std::net::TcpStream::connect(a).unwrap();
            let req = format!(
                "GET /pack.pdf?ids={} HTTP/1.1\r\nHost: x\r\n\r\n",
                chosen.join(",")
            );
            s.write_all(req.as_bytes()).unwrap();
            s
        })
        .collect();
    eventually("a render running", || {
        health(a).1["pack_renders"]["running"] == 1
    });
    drop(clients);
    std::thread::sleep(Duration::from_millis(300));
    eventually("no render running", || {
        health(a).1["pack_renders"]["running"] == 0
    });
    std::thread::sleep(Duration::from_millis(500));
    let (_, h) = health(a);
    let made = h["pack_renders"]["made"].as_u64().unwrap();
    // The one that had started (perhaps a second that took its turn as the others went).
    assert!(
        (1..=2).contains(&made),
        "{made} packs made for clients that had gone: {h}"
    );
}

/// A kundservice floor: the fixture collection and 25 generated notices
/// ([`common::generated`]), 31 in seven groups. Returns the data directory and every id in
/// the collection's order.
fn floor(name: &str) -> (std::path::PathBuf, Vec<String>) {
    let data = common::scratch(name).join("data");
    let ids = common::generated::write_floor(&common::collection_dir(), &data);
    (data, ids)
}

/// `text` percent-encoded for a query string.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The text of an element's content: tags out, what is hidden from assistive technology
/// (`aria-hidden`) out, entities read, spaces collapsed.
fn text_of(html: &str) -> String {
    let mut html = html.to_owned();
    while let Some(at) = html.find(" aria-hidden=\"true\"") {
        let start = html[..at].rfind('<').unwrap();
        let end = at + html[at..].find("</span>").unwrap() + "</span>".len();
        html.replace_range(start..end, "");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the page's links, buttons and labels say: each `<a>`, `<button>` and `<label>`'s text.
fn control_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in ["a", "button", "label"] {
        let open = format!("<{tag} ");
        let close = format!("</{tag}>");
        let mut rest = html;
        while let Some(at) = rest.find(&open) {
            let start = at + rest[at..].find('>').unwrap() + 1;
            let end = start + rest[start..].find(&close).unwrap();
            names.push(text_of(&rest[start..end]));
            rest = &rest[end..];
        }
    }
    names
}

/// The ids of the page's notice rows, and whether each is shown.
fn rows(html: &str) -> Vec<(String, bool)> {
    html.match_indices("<li class=\"notice\" data-id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let id = &rest[..rest.find('"').unwrap()];
            let tag = &rest[..rest.find('>').unwrap()];
            (id.to_owned(), !tag.contains("hidden"))
        })
        .collect()
}

#[test]
fn the_page_lists_every_notice_once_with_what_it_covers_and_stays_small() {
    let (data, ids) = floor("floor-page");
    assert_eq!(ids.len(), 31);
    let srv = start(&data);
    let a = &srv.addr;
    let html = get(a, "/").text();
    // Under 60 KB for 31 notices.
    assert!(html.len() < 60 * 1024, "{} bytes", html.len());
    // Each notice once, in the collection's order, shown.
    assert_eq!(
        rows(&html),
        ids.iter().map(|id| (id.clone(), true)).collect::<Vec<_>>()
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&get(a, "/notices").body).unwrap();
    let pages = |n: &serde_json::Value, edition: &str| {
        let p = n["editions"][edition]["pages"].as_u64().unwrap();
        if p == 1 {
            "1 sida".to_owned()
        } else {
            format!("{p} sidor")
        }
    };
    for n in &list {
        let id = n["id"].as_str().unwrap();
        assert_eq!(html.matches(&format!("value=\"{id}\"")).count(), 1, "{id}");
        let at = html
            .find(&format!("<li class=\"notice\" data-id=\"{id}\""))
            .unwrap();
        let row = &html[at..at + html[at..].find("</li>").unwrap()];
        let said = text_of(row);
        // Its title (its checkbox's label), what it covers, its date and both page counts.
        for want in [
            n["title"].as_str().unwrap().to_owned(),
            n["summary"].as_str().unwrap().to_owned(),
            format!(
                "· {} · stor stil {} · version",
                pages(n, "standard"),
                pages(n, "large")
            ),
        ] {
            assert!(said.contains(&want), "{id}: {want:?} in {said:?}");
        }
        assert!(
            row.contains(&format!(
                "aria-describedby=\"om-{id}\"><label for=\"val-{id}\">"
            )),
            "{row}"
        );
    }
    // A ten-page notice is among them.
    assert!(
        list.iter()
            .any(|n| n["editions"]["standard"]["pages"].as_u64().unwrap() >= 10)
    );
    // One way to hand out: no thumbnails, no download link per notice; a readable preview
    // (the HTML alternative) for each.
    assert!(!html.contains(".png"), "no thumbnails");
    let notice_links: Vec<&str> = html
        .match_indices("href=\"/notices/")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(notice_links.len(), 31);
    assert!(
        notice_links.iter().all(|l| l.ends_with(".html")),
        "{notice_links:?}"
    );
    // The header is the collection's: its logo, label and title.
    assert!(
        html.contains(
            "<title>Så behandlar Exempelbanken dina personuppgifter – kundservice</title>"
        )
    );
    assert!(html.contains("<img class=\"logo\" src=\"/logo\" alt=\"Exempelbanken\">"));
    assert!(html.contains("<span class=\"app\">Kundservice · Integritetsinformation</span>"));
    assert!(!html.contains("Avanza"));
    let logo = get(a, "/logo");
    assert_eq!(logo.status, 200);
    assert_eq!(logo.headers["content-type"], "image/svg+xml");
    assert!(logo.headers["content-security-policy"].contains("sandbox"));
    assert_eq!(
        logo.body,
        std::fs::read(common::collection_dir().join("exempelbanken.svg")).unwrap()
    );
    // Every link, button and label says something of its own.
    let names = control_names(&html);
    assert!(names.len() > 31 * 3, "{names:?}");
    let mut seen = std::collections::BTreeSet::new();
    for name in &names {
        assert!(
            !name.is_empty() && seen.insert(name),
            "said twice or empty: {name:?}"
        );
    }
    assert!(names.contains(&"Förhandsvisa Kontakt med Exempelbankens kundtjänst".to_owned()));
    assert!(
        names.contains(&"Kopiera webbadress till Kontakt med Exempelbankens kundtjänst".to_owned())
    );
}

#[test]
fn a_search_shows_the_same_notices_with_and_without_script() {
    let (data, ids) = floor("floor-search");
    let srv = start(&data);
    let a = &srv.addr;
    let found = |q: &str| -> (Vec<String>, String, String) {
        let json: serde_json::Value =
            serde_json::from_slice(&get(a, &format!("/search.json?q={}", encoded(q))).body)
                .unwrap();
        let page = get(a, &format!("/?q={}", encoded(q))).text();
        // Without script: the page of `/?q=` shows what the script's search shows.
        let shown: Vec<String> = rows(&page)
            .into_iter()
            .filter(|(_, shown)| *shown)
            .map(|(id, _)| id)
            .collect();
        let from_json: Vec<String> = json["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(shown, from_json, "{q:?}");
        let status = json["status"].as_str().unwrap().to_owned();
        assert!(
            page.contains(&format!("<p id=\"antal\" role=\"status\">{status}</p>")),
            "{q:?}: {status}"
        );
        assert_eq!(rows(&page).len(), ids.len(), "every notice is in the page");
        (shown, status, page)
    };
    // How recorded calls are kept: the fixture's call notice, and the services notice with
    // its section on recorded calls; no generated notice says "samtal".
    let (samtal, status, page) = found("samtal");
    assert_eq!(samtal, ["tjanster", "rik"]);
    assert_eq!(status, "2 av 31 dokument matchar ”samtal”.");
    assert!(page.contains("type=\"search\" name=\"q\" value=\"samtal\""));
    // A group with no notice shown is hidden with its notices.
    assert!(
        page.contains("<fieldset class=\"group\" hidden><legend>När du blir kund hos oss</legend>")
    );
    assert_eq!(found(" SAMTAL ").0, samtal);
    // By summary, by heading, by question; every word must match.
    assert_eq!(found("spärr").0, ["kort", "bedrageri"]);
    assert_eq!(found("firmatecknare").0, ["foretagskonto"]);
    assert_eq!(found("rättigheter").0, ["rattigheter", "rik"]);
    // A question: every notice that asks it (all but the fixture's rights and suppliers).
    let asking: Vec<String> = ids
        .iter()
        .filter(|id| !["rattigheter", "leverantorer"].contains(&id.as_str()))
        .cloned()
        .collect();
    assert_eq!(found("hur länge sparar").0, asking);
    assert_eq!(found("kort spärr").0, ["kort"]);
    let (none, status, _) = found("xyzzy");
    assert!(none.is_empty());
    assert!(status.starts_with("Inget av 31 dokument matchar ”xyzzy”."));
    let (all, status, _) = found("");
    assert_eq!(all, ids);
    assert_eq!(status, "Alla 31 dokument visas.");
}

#[test]
fn answers_on_a_kept_alive_connection_do_not_wait_for_the_clients_acknowledgement() {
    // Nagle's algorithm held the end of every answer on a kept-alive connection until the
    // client's delayed acknowledgement came (40 ms on Linux): the page took 44 ms instead of
    // 0.15. Measured on one connection, as a browser keeps it; generous for a loaded machine.
    use std::io::{Read, Write};
    let srv = start(&data_copy("nodelay"));
    let mut s = std::net::TcpStream::connect(&srv.addr).unwrap();
    s.set_nodelay(true).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut get = || -> Duration {
        let started = Instant::now();
        s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0, "closed");
            raw.extend_from_slice(&buf[..n]);
            let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            if raw.len() >= end + 4 + len {
                return started.elapsed();
            }
        }
    };
    for _ in 0..3 {
        get();
    }
    let mut times: Vec<Duration> = (0..15).map(|_| get()).collect();
    times.sort();
    assert!(
        times[7] < Duration::from_millis(20),
        "the median answer took {:?}: {times:?}",
        times[7]
    );
}

fn probe(a: &str, path: &str) -> (u16, serde_json::Value) {
    let r = get(a, path);
    (r.status, serde_json::from_slice(&r.body).unwrap())
}

/// The platform's probes: `/livez` while the process answers; `/readyz` 200 only while the
/// data is valid, 503 naming the file while one is invalid (as `/healthz` does), and 503 while
/// the server drains after SIGTERM, still serving, until it stops.
#[test]
fn readiness_follows_the_data_and_a_drain_after_sigterm() {
    let data = data_copy("probes");
    let file = data.join("kundservice.toml");
    let mut srv = start_with(&data, &["--drain-ms", "1500"]);
    let a = srv.addr.clone();
    assert_eq!(
        probe(&a, "/livez"),
        (200, serde_json::json!({ "status": "ok" }))
    );
    let (status, ready) = probe(&a, "/readyz");
    assert_eq!(
        (status, &ready["status"]),
        (200, &"ready".into()),
        "{ready}"
    );

    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        original.replace("id = \"kundservice\"", "id = \"Bad Id\""),
    )
    .unwrap();
    eventually("not ready", || probe(&a, "/readyz").0 == 503);
    let (_, ready) = probe(&a, "/readyz");
    assert_eq!(ready["status"], "invalid data", "{ready}");
    assert_eq!(ready["problems"][0]["file"], "kundservice.toml");
    assert_eq!(probe(&a, "/livez").0, 200, "alive all the same");
    std::fs::write(&file, &original).unwrap();
    eventually("ready again", || probe(&a, "/readyz").0 == 200);

    // SAFETY: signals our own child process.
    assert_eq!(
        unsafe { libc::kill(srv.child.id() as i32, libc::SIGTERM) },
        0
    );
    eventually("draining", || probe(&a, "/readyz").0 == 503);
    let (_, ready) = probe(&a, "/readyz");
    assert_eq!(ready["status"], "draining", "{ready}");
    // Still serving what it serves while it drains.
    assert_eq!(get(&a, "/notices/kundservice.pdf").status, 200);
    assert_eq!(probe(&a, "/livez").0, 200);
    exits_cleanly_within(&mut srv, Duration::from_secs(8), "the drain");
    let log = srv.log.lock().unwrap().clone();
    assert!(log.contains("SIGTERM: draining for 1500 ms"), "{log}");
}

/// `serve --audit-log FILE`: the trail is a hash chain of JSON records, its first line naming
/// the data versions served; `audit verify` passes it, and fails, naming the line, on each kind
/// of tampering: an edited, deleted, inserted or moved line, and a file cut short. A restart
/// goes on with the same chain.
#[test]
fn the_audit_log_is_a_chain_that_audit_verify_checks() {
    let data = collection_copy("audit-chain");
    let dir = data.parent().unwrap().to_owned();
    let log_file = dir.join("audit.jsonl");
    let file = log_file.to_str().unwrap();
    for round in 0..2 {
        let srv = start_with(&data, &["--audit-log", file]);
        let a = &srv.addr;
        assert_eq!(get(a, "/notices/rik.pdf").status, 200);
        assert_eq!(get(a, "/pack.pdf?ids=rik,rattigheter").status, 200);
        eventually("two records", || {
            std::fs::read_to_string(&log_file)
                .unwrap_or_default()
                .matches("\"outcome\":\"issued\"")
                .count()
                >= 2 * (round + 1)
        });
        assert!(
            !srv.log.lock().unwrap().contains("audit: issued"),
            "not on stderr"
        );
    }
    let text = std::fs::read_to_string(&log_file).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 6, "{text}");
    assert_eq!(records[0]["entry"]["type"], "start");
    assert_eq!(records[0]["prev"], notice_pdf::audit::chain::GENESIS);
    assert!(
        records[0]["entry"]["data_versions"]["rik"].is_string(),
        "{text}"
    );
    assert_eq!(records[1]["entry"]["subject"]["id"], "rik");
    assert_eq!(records[2]["entry"]["subject"]["kind"], "pack");
    assert_eq!(
        records[3]["entry"]["type"], "start",
        "a restart names what it serves"
    );
    let verify =
        |path: &std::path::Path| common::run(&dir, &["audit", "verify", path.to_str().unwrap()]);
    let o = verify(&log_file);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("intact, 6 line(s)"),
        "{}",
        common::stderr(&o)
    );

    let lines: Vec<&str> = text.lines().collect();
    let join = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut deleted = lines.clone();
    deleted.remove(2);
    let mut inserted = lines.clone();
    inserted.insert(4, lines[1]);
    let mut moved = lines.clone();
    moved.swap(1, 2);
    let cases = [
        ("edited", text.replacen("\"rik\"", "\"rattigheter\"", 1), 1),
        ("deleted", join(&deleted), 3),
        ("inserted", join(&inserted), 5),
        ("moved", join(&moved), 2),
        ("truncated", text[..text.len() - 20].to_owned(), 6),
    ];
    for (what, tampered, line) in cases {
        let path = dir.join(format!("{what}.jsonl"));
        std::fs::write(&path, tampered).unwrap();
        let o = verify(&path);
        assert_eq!(o.status.code(), Some(1), "{what}");
        let err = common::stderr(&o);
        assert!(
            err.starts_with(&format!("error: {}:{line}: ", path.display())),
            "{what}: {err}"
        );
    }
}

/// The value of the sample `name` (with its labels, as written) in a scrape.
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// `/metrics` counts what the platform asks about: requests by route pattern (never by a
/// client's path) and status, packs rendered and the pack cache's hits, the notices loaded
/// with their data versions, and the program's version; in the Prometheus text format.
#[test]
fn metrics_count_requests_renders_caches_and_data_by_pattern() {
    let data = collection_copy("metrics");
    let srv = start(&data);
    let a = &srv.addr;
    for _ in 0..2 {
        assert_eq!(get(a, "/notices/rik.pdf").status, 200);
        assert_eq!(get(a, "/pack.pdf?ids=rik,rattigheter").status, 200);
    }
    assert_eq!(get(a, "/no/such/path/x").status, 404);
    let r = get(a, "/metrics");
    assert_eq!(r.status, 200);
    assert!(r.headers["content-type"].starts_with("text/plain; version=0.0.4"));
    let m = r.text();
    let at = |name: &str| sample(&m, name).unwrap_or_else(|| panic!("{name} missing:\n{m}"));
    assert_eq!(
        at("notice_pdf_http_requests_total{route=\"/notices/{file}\",status=\"200\"}"),
        2.0
    );
    assert_eq!(
        at("notice_pdf_http_requests_total{route=\"/pack.pdf\",status=\"200\"}"),
        2.0
    );
    assert_eq!(
        at("notice_pdf_http_requests_total{route=\"other\",status=\"404\"}"),
        1.0
    );
    assert!(!m.contains("/no/such"), "a client's path is never a label");
    assert_eq!(at("notice_pdf_pack_renders_total"), 1.0);
    assert_eq!(at("notice_pdf_cache_hits_total{cache=\"packs\"}"), 1.0);
    assert_eq!(at("notice_pdf_notices_loaded"), 6.0);
    assert_eq!(
        at("notice_pdf_notice_renders_total"),
        6.0,
        "each notice rendered once, at start"
    );
    assert!(at("notice_pdf_data_scan_duration_seconds_count") >= 1.0);
    assert_eq!(at("notice_pdf_invalid_files"), 0.0);
    assert!(
        m.contains("notice_pdf_data_version_info{id=\"rik\",version_id=\""),
        "{m}"
    );
    assert!(m.contains(&format!(
        "notice_pdf_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(at("notice_pdf_http_request_duration_seconds_count{route=\"/pack.pdf\"}") >= 2.0);

    // An edited notice is rendered again, and only it; the reload is counted.
    let file = data.join("rik.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("I sex månader.", "I fem månader.", 1)).unwrap();
    let scrape = || get(a, "/metrics").text();
    eventually("the edit is taken", || {
        sample(&scrape(), "notice_pdf_notice_renders_total") == Some(7.0)
    });
    assert!(sample(&scrape(), "notice_pdf_reloads_total").unwrap() >= 1.0);
}

/// In the `oracles` tier: Prometheus's own checker accepts the scrape.
#[cfg(feature = "oracles")]
#[test]
fn promtool_accepts_the_metrics() {
    use std::io::Write;
    let srv = start(&collection_copy("promtool"));
    let a = &srv.addr;
    assert_eq!(get(a, "/pack.pdf?ids=rik").status, 200);
    let m = get(a, "/metrics").body;
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool is needed (Debian's prometheus); `bash tests/run-all.sh` installs it");
    child.stdin.take().unwrap().write_all(&m).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `serve --log-format json`: every line on stderr is a JSON object; each request is logged
/// with its id, which the answer carries as `X-Request-Id` (the client's own when it sends a
/// plain one), its route pattern and status, and never the path or query the client wrote;
/// audit events are typed fields.
#[test]
fn json_logs_carry_each_requests_id_and_no_query() {
    let srv = start_with(&collection_copy("json-log"), &["--log-format", "json"]);
    let a = &srv.addr;
    let r = get(a, "/notices/rik.pdf?name=Anna+Andersson");
    assert_eq!(r.status, 200);
    let ours = r.headers["x-request-id"].clone();
    let r = request(a, "GET", "/", &[("X-Request-Id", "lb-7f3a.42")], b"");
    assert_eq!(r.headers["x-request-id"], "lb-7f3a.42");
    let r = request(a, "GET", "/", &[("X-Request-Id", "not a token")], b"");
    assert_ne!(r.headers["x-request-id"], "not a token");
    eventually("the audit event", || {
        srv.log.lock().unwrap().contains("\"audit\"")
    });
    let log = srv.log.lock().unwrap().clone();
    assert!(
        !log.contains("Anna"),
        "a query value reached the log: {log}"
    );
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let request_of = |id: &str| {
        lines
            .iter()
            .find(|l| l["fields"]["request_id"] == id)
            .unwrap_or_else(|| panic!("no line for {id}: {log}"))
    };
    let pdf = request_of(&ours);
    assert_eq!(pdf["fields"]["route"], "/notices/{file}");
    assert_eq!(pdf["fields"]["status"], 200);
    assert_eq!(request_of("lb-7f3a.42")["fields"]["route"], "/");
    let audit = lines
        .iter()
        .find(|l| l["fields"]["message"] == "audit")
        .unwrap();
    assert_eq!(audit["fields"]["audit"]["subject"]["id"], "rik");
    assert_eq!(audit["fields"]["audit"]["outcome"], "issued");
}

/// Rotation keeps the chain: the log moved away and the server sent SIGHUP, the new file's
/// first line continues the old one's last hash; the two verify in order, and the new one
/// alone only after that hash.
#[test]
fn a_rotated_audit_log_continues_the_chain() {
    let data = collection_copy("audit-rotate");
    let dir = data.parent().unwrap().to_owned();
    let log_file = dir.join("audit.jsonl");
    let old_file = dir.join("audit.jsonl.1");
    let srv = start_with(&data, &["--audit-log", log_file.to_str().unwrap()]);
    let a = &srv.addr;
    let issued = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .matches("\"outcome\":\"issued\"")
            .count()
    };
    assert_eq!(get(a, "/notices/rik.pdf").status, 200);
    eventually("the first record", || issued(&log_file) == 1);
    std::fs::rename(&log_file, &old_file).unwrap();
    // SAFETY: signals our own child process.
    assert_eq!(
        unsafe { libc::kill(srv.child.id() as i32, libc::SIGHUP) },
        0
    );
    eventually("the reopen", || srv.log.lock().unwrap().contains("SIGHUP"));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(get(a, "/notices/rattigheter.pdf").status, 200);
    eventually("a record in the new file", || issued(&log_file) == 1);
    assert_eq!(issued(&old_file), 1, "the old file is left as it was");
    let run = |args: &[&str]| common::run(&dir, args);
    let (old, new) = (old_file.to_str().unwrap(), log_file.to_str().unwrap());
    let both = run(&["audit", "verify", old, new]);
    assert!(both.status.success(), "{}", common::stderr(&both));
    let alone = run(&["audit", "verify", new]);
    assert_eq!(alone.status.code(), Some(1), "{}", common::stderr(&alone));
    let last = common::stderr(&run(&["audit", "verify", old]))
        .rsplit("last hash ")
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let after = run(&["audit", "verify", new, "--after", &last]);
    assert!(after.status.success(), "{}", common::stderr(&after));
}
