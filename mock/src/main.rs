//! `migo-mock` command line: parses flags, starts the server, prints the
//! address and waits for a reason to exit.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use migo_mock::{Config, StaticMount};

const USAGE: &str = "\
usage: migo-mock [--port N] [--host ADDR] [--static PREFIX=DIR]...
                 [--token TOKEN]... [--expired-token TOKEN]... [--user ID]...
                 [--lifeline] [--max-lifetime SECS]

  --port N              port to bind (default 3010; 0 picks a free one)
  --host ADDR           address to bind (default 127.0.0.1)
  --static PREFIX=DIR   serve DIR under PREFIX (never shadows /rest, /__mock)
  --token TOKEN         extra accepted access token (migo-test-token always is)
  --expired-token TOKEN extra token answered with 401 TOKEN_EXPIRED
  --user ID             extra known user (1001, 1002, 1003, alice always are)
  --lifeline            exit when stdin reaches EOF
  --max-lifetime SECS   exit after SECS seconds regardless";

struct Args {
    config: Config,
    lifeline: bool,
    max_lifetime: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { config: Config::default(), lifeline: false, max_lifetime: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (flag, None),
        };
        let mut value = || inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => {
                let v = value()?;
                args.config.port = v.parse().map_err(|_| format!("bad --port {v}"))?;
            }
            "--host" => {
                let v = value()?;
                args.config.host = v.parse::<IpAddr>().map_err(|_| format!("bad --host {v}"))?;
            }
            "--static" => {
                let v = value()?;
                let (prefix, dir) = v.split_once('=').ok_or_else(|| format!("--static wants PREFIX=DIR, got {v}"))?;
                args.config.statics.push(StaticMount { prefix: prefix.to_string(), dir: PathBuf::from(dir) });
            }
            "--token" => args.config.tokens.push(value()?),
            "--expired-token" => args.config.expired_tokens.push(value()?),
            "--user" => args.config.users.push(value()?),
            "--lifeline" => args.lifeline = true,
            "--max-lifetime" => {
                let v = value()?;
                args.max_lifetime = Some(v.parse().map_err(|_| format!("bad --max-lifetime {v}"))?);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(err) => {
            eprintln!("migo-mock: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    let server = match migo_mock::serve(args.config).await {
        Ok(server) => server,
        Err(err) => {
            eprintln!("migo-mock: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    // Harnesses read this first line to learn the port: flush it right away.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on http://{}", server.addr());
    let _ = stdout.flush();
    drop(stdout);

    let lifeline = async {
        if !args.lifeline {
            return std::future::pending().await;
        }
        // A plain thread, not spawn_blocking: a blocking stdin read would
        // otherwise hold up runtime shutdown.
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            let _ = tx.send(());
        });
        let _ = rx.await;
    };
    let max_lifetime = async {
        match args.max_lifetime {
            Some(secs) => tokio::time::sleep(Duration::from_secs(secs)).await,
            None => std::future::pending().await,
        }
    };

    let reason = tokio::select! {
        _ = lifeline => "stdin closed",
        _ = max_lifetime => "max lifetime reached",
        _ = tokio::signal::ctrl_c() => "interrupted",
        _ = terminate() => "terminated",
    };
    eprintln!("migo-mock: {reason}, exiting");
    // Exit at once: open keep-alive connections must not keep us alive.
    std::process::exit(0)
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut sig) => {
            sig.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending().await
}
