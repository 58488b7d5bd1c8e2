//! The auth v3 endpoints: tenant and app tokens for the configured apps.

use feishu_model::auth::{
    AppAccessToken, AppAccessTokenInternal, AppCredentialsBody, AppTicketResend, AppTokenOutput,
    TenantAccessToken, TenantAccessTokenInternal, TenantTokenOutput,
};
use feishu_model::codes;
use feishu_model::{AppId, Empty, Secret, TokenKind};

use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::App;

/// The app these credentials name, or the documented error.
fn check_app<'a>(ctx: &'a Ctx<'_>, app_id: &AppId, secret: &Secret) -> Result<&'a App, Failure> {
    let app = ctx
        .world
        .dir
        .apps
        .get(app_id)
        .ok_or_else(|| ctx.param("app_id", format!("no app `{app_id}`")))?;
    if app.secret.expose() != secret.expose() {
        return Err(
            Failure::code(codes::WRONG_APP_SECRET).because("the app_secret does not match the app")
        );
    }
    if !app.enabled {
        return Err(Failure::code(codes::APP_UNAUTHORIZED).because("the app is disabled"));
    }
    Ok(app)
}

fn self_built<'a>(
    ctx: &'a Ctx<'_>,
    body: &AppCredentialsBody,
    code: i64,
) -> Result<&'a App, Failure> {
    let app = check_app(ctx, &body.app_id, &body.app_secret)?;
    if app.marketplace {
        return Err(
            Failure::code(code).because("a marketplace app gets tokens with its app_ticket")
        );
    }
    Ok(app)
}

fn issue(
    ctx: &mut Ctx<'_>,
    kind: TokenKind,
    app: &AppId,
    tenant: Option<&feishu_model::TenantKey>,
) -> (Secret, i64) {
    ctx.world.stats.token_requests += 1;
    let (token, expire) = ctx
        .world
        .tokens
        .issue(&mut ctx.world.ids, kind, app, tenant, ctx.now_ms);
    (Secret::new(token), expire)
}

impl Handle for TenantAccessTokenInternal {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<TenantTokenOutput, Failure> {
        let home = self_built(ctx, &self.body, codes::GET_TENANT_TOKEN_FAILED)?
            .home
            .clone();
        let (token, expire) = issue(ctx, TokenKind::Tenant, &self.body.app_id, Some(&home));
        Ok(feishu_model::fill!(TenantTokenOutput {
            tenant_access_token: token,
            expire,
            extra: Default::default(),
        }))
    }
}

impl Handle for AppAccessTokenInternal {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<AppTokenOutput, Failure> {
        let home = self_built(ctx, &self.body, codes::GET_APP_TOKEN_FAILED)?
            .home
            .clone();
        let (app_token, expire) = issue(ctx, TokenKind::App, &self.body.app_id, None);
        let (tenant_token, _) = issue(ctx, TokenKind::Tenant, &self.body.app_id, Some(&home));
        Ok(feishu_model::fill!(AppTokenOutput {
            app_access_token: app_token,
            expire,
            tenant_access_token: Some(tenant_token),
            extra: Default::default(),
        }))
    }
}

impl Handle for AppAccessToken {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<AppTokenOutput, Failure> {
        let app = check_app(ctx, &self.body.app_id, &self.body.app_secret)?;
        if !app.marketplace {
            return Err(Failure::code(codes::GET_APP_TOKEN_FAILED)
                .because("a self-built app uses app_access_token/internal"));
        }
        if app.ticket.as_ref().map(Secret::expose) != Some(self.body.app_ticket.expose()) {
            return Err(Failure::code(codes::GET_APP_TOKEN_FAILED)
                .because("the app_ticket is not the latest one pushed"));
        }
        let (token, expire) = issue(ctx, TokenKind::App, &self.body.app_id, None);
        Ok(feishu_model::fill!(AppTokenOutput {
            app_access_token: token,
            expire,
            tenant_access_token: None,
            extra: Default::default(),
        }))
    }
}

impl Handle for TenantAccessToken {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<TenantTokenOutput, Failure> {
        let issued = ctx
            .world
            .tokens
            .valid(self.body.app_access_token.expose(), ctx.now_ms)
            .filter(|t| t.kind == TokenKind::App)
            .ok_or_else(|| {
                Failure::auth(
                    codes::INVALID_APP_TOKEN,
                    "the app_access_token is invalid or expired",
                )
            })?;
        let app_id = issued.app.clone();
        let installed = ctx
            .world
            .dir
            .apps
            .get(&app_id)
            .is_some_and(|a| a.installed_in(&self.body.tenant_key));
        if !installed {
            return Err(
                Failure::code(codes::GET_TENANT_TOKEN_FAILED).because(format!(
                    "the app is not installed in tenant `{}`",
                    self.body.tenant_key
                )),
            );
        }
        let (token, expire) = issue(ctx, TokenKind::Tenant, &app_id, Some(&self.body.tenant_key));
        Ok(feishu_model::fill!(TenantTokenOutput {
            tenant_access_token: token,
            expire,
            extra: Default::default(),
        }))
    }
}

impl Handle for AppTicketResend {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let app = check_app(ctx, &self.body.app_id, &self.body.app_secret)?;
        if !app.marketplace {
            return Err(Failure::code(codes::APP_TICKET_RESEND_FAILED)
                .because("only marketplace apps receive an app_ticket"));
        }
        Ok(Empty::default())
    }
}
