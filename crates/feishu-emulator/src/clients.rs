//! SDK clients wired to the in-process transport, with the credentials of
//! an app of the fixture.

use std::sync::Arc;

use feishu_model::{AppId, Secret};
use feishu_transport::{AppCredentials, Client, ClientBuilder, Error, Rejection};

use crate::core::Core;
use crate::transport::InProcessTransport;

/// The base URL of clients wired to the in-process transport (never resolved).
pub const IN_PROCESS_BASE_URL: &str = "http://feishu-emulator.invalid";

/// A client builder for `app_id`'s credentials, wired to the in-process
/// transport.
pub(crate) fn builder_for(core: &Arc<Core>, app_id: &AppId) -> Result<ClientBuilder, Error> {
    let (secret, marketplace): (Secret, bool) = {
        let world = core.world();
        let app = world.dir.apps.get(app_id).ok_or_else(|| Error::Rejected {
            operation: "emulator.client",
            reason: Rejection::Config(format!("the fixture has no app `{app_id}`")),
        })?;
        (app.secret.clone(), app.marketplace)
    };
    let credentials = if marketplace {
        AppCredentials::marketplace(app_id.clone(), secret)
    } else {
        AppCredentials::self_built(app_id.clone(), secret)
    };
    Ok(Client::builder()
        .base_url(IN_PROCESS_BASE_URL)
        .transport(Arc::new(InProcessTransport::new(core.clone())))
        .credentials(credentials))
}

/// A client for `app_id`, given the app's ticket when the fixture has one.
pub(crate) fn client_for(core: &Arc<Core>, app_id: &AppId) -> Result<Client, Error> {
    let client = builder_for(core, app_id)?.build()?;
    let ticket = core
        .world()
        .dir
        .apps
        .get(app_id)
        .and_then(|a| a.ticket.clone());
    if let Some(ticket) = ticket {
        client.set_app_ticket(ticket);
    }
    Ok(client)
}

/// A client for the fixture's first app.
pub(crate) fn first_client(core: &Arc<Core>) -> Result<Client, Error> {
    let first = core
        .world()
        .dir
        .app_order
        .first()
        .cloned()
        .ok_or_else(|| Error::Rejected {
            operation: "emulator.client",
            reason: Rejection::Config("the fixture has no app".into()),
        })?;
    client_for(core, &first)
}
