//! Four clients sharing one rate budget and one token through Redis, against
//! the emulator on loopback, for 5 seconds.
//!
//! Needs a local `redis-server` (`apt-get install redis-server`); set
//! `REDIS_URL` if it is not on `redis://127.0.0.1:6379`.
//!
//! ```text
//! cargo run -p feishu-redis --example fleet
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use feishu_emulator::{Emulator, Fixture};
use feishu_model::im::members::IsInChat;
use feishu_model::Endpoint;
use feishu_redis::{LimiterConfig, Redis, RedisConfig};
use feishu_transport::{AppCredentials, Client, RetryPolicy};

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let addr = url
        .trim_start_matches("redis://")
        .split('/')
        .next()
        .unwrap_or("127.0.0.1:6379")
        .to_owned();
    if tokio::net::TcpStream::connect(&addr).await.is_err() {
        eprintln!("No redis-server answers on {addr}.");
        eprintln!("Start one (`redis-server --port 6379`) or set REDIS_URL, then run again.");
        std::process::exit(2);
    }
    let emulator = Emulator::builder().record_arrivals(true).build()?;
    let server = emulator.start("127.0.0.1:0").await?;
    let app = Fixture::default_seed()?.apps.remove(0);
    let redis = Redis::connect(&RedisConfig::new(url).prefix("feishu:example:"))?;
    let ok = Arc::new(AtomicU64::new(0));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        // One client per replica: each with its own in-process state, all
        // sharing the budget and the token through Redis.
        let client = Client::builder()
            .base_url(server.url())
            .credentials(AppCredentials::self_built(
                app.app_id.clone(),
                app.app_secret.clone(),
            ))
            .retry_policy(RetryPolicy::never())
            .rate_limiter(Arc::new(
                redis.limiter(LimiterConfig::default().fallback_share(0.25)),
            ))
            .token_store(Arc::new(redis.token_store()))
            .build()?;
        for _ in 0..16 {
            let (client, ok) = (client.clone(), ok.clone());
            tasks.push(tokio::spawn(async move {
                while tokio::time::Instant::now() < deadline {
                    let call = client.call(IsInChat::new(CHAT));
                    match tokio::time::timeout_at(deadline, call).await {
                        Ok(Ok(_)) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(Err(e)) => eprintln!("call failed: {e}"),
                        Err(_) => break,
                    }
                }
            }));
        }
    }
    for t in tasks {
        t.await?;
    }
    let max_in_1s =
        emulator.max_arrivals_within(IsInChat::OPERATION, std::time::Duration::from_secs(1));
    let stats = emulator.stats();
    println!("calls answered ok:       {}", ok.load(Ordering::Relaxed));
    println!("max in any 1 s window:   {max_in_1s} (limit 50)");
    println!("rate-limited answers:    {}", stats.rate_limited);
    println!("token fetches:           {}", stats.token_requests);
    Ok(())
}
