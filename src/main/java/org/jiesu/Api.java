package org.jiesu;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jiesu.audit.AuditLog;
import org.jiesu.audit.AuditRoutes;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Authentication;
import org.jiesu.auth.Role;
import org.jiesu.credit.Credit;
import org.jiesu.credit.CreditRoutes;
import org.jiesu.credit.CreditRules;
import org.jiesu.credit.CreditScore;
import org.jiesu.credit.CreditTicketFeed;
import org.jiesu.credit.DrawRoutes;
import org.jiesu.credit.Draws;
import org.jiesu.department.DepartmentRoutes;
import org.jiesu.department.Departments;
import org.jiesu.evaluation.ScorecardFacts;
import org.jiesu.evaluation.ScorecardRoutes;
import org.jiesu.evaluation.ScorecardService;
import org.jiesu.insights.IntakeInsights;
import org.jiesu.insights.InsightRoutes;
import org.jiesu.insights.InsightSettings;
import org.jiesu.insights.TaskLinks;
import org.jiesu.insights.TermsListener;
import org.jiesu.knowledge.Knowledge;
import org.jiesu.knowledge.KnowledgeRoutes;
import org.jiesu.open311.Open311;
import org.jiesu.open311.Open311Listener;
import org.jiesu.open311.Open311Routes;
import org.jiesu.outbox.Destinations;
import org.jiesu.outbox.IntakeSignature;
import org.jiesu.outbox.OutboxListener;
import org.jiesu.outbox.OutboxStore;
import org.jiesu.outbox.SafeAddress;
import org.jiesu.outbox.Subscriptions;
import org.jiesu.outbox.WebhookRoutes;
import org.jiesu.platform.Config;
import org.jiesu.platform.RateLimiter;
import org.jiesu.platform.Health;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Problems;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Requests;
import org.jiesu.ticket.TicketRoutes;
import org.jiesu.ticket.RequestQueue;
import org.jiesu.ticket.TicketService;
import org.jiesu.ticket.TicketAuditTrail;
import org.jiesu.ticket.WorkflowRoutes;
import org.jiesu.routing.RoutingRoutes;
import org.jiesu.routing.RoutingRules;
import org.jiesu.sla.SlaAdmin;
import org.jiesu.sla.SlaEngine;
import org.jiesu.sla.SlaEventFeed;
import org.jiesu.sla.SlaRoutes;
import org.jiesu.sla.SlaTimerAnnex;
import org.jiesu.sla.SlaTimers;
import org.jiesu.supervision.SupervisionRoutes;

/**
 * Wires the features to the OpenAPI document. Each operation gets, in order: the JWT check (from the
 * document's security), the actor, the role check (the operation's {@code x-roles}), request validation
 * against the document, and the feature's handler. Roles are checked before the body so a caller without
 * the right learns nothing about the schema.
 */
public final class Api {

  public static final String CONTRACT = "openapi.yaml";
  /** SSE comments this often keep proxies from closing a quiet supervision stream. */
  static final java.time.Duration STREAM_HEARTBEAT = java.time.Duration.ofSeconds(15);
  /** Timers due sooner than the schedulers' poll wake them by NOTIFY. */
  static final java.time.Duration SLA_WAKE_WITHIN = java.time.Duration.ofSeconds(2);

  private Api() {}

  /** What the handlers are built from; one per process, shared by every HTTP verticle instance. */
  public record Parts(Pool pool, Authentication authentication, Clock clock, Config config,
      String contractText, JsonObject contract, Health health, Handler<RoutingContext> metrics,
      RateLimiter limiter, org.jiesu.platform.Guards guards, SlaEngine sla, SlaEventFeed slaFeed) {}

  public static Future<Router> router(Vertx vertx, Parts parts) {
    Pool pool = parts.pool();
    Clock clock = parts.clock();
    Health health = parts.health();
    String contractText = parts.contractText();
    Handler<RoutingContext> metrics = parts.metrics();
    AuditLog audit = new AuditLog(pool, clock);
    AuditRoutes auditRoutes = new AuditRoutes(pool);
    Departments departments = new Departments(pool, audit);
    DepartmentRoutes departmentRoutes = new DepartmentRoutes(departments);
    Knowledge knowledge = new Knowledge(pool, audit, clock);
    KnowledgeRoutes knowledgeRoutes = new KnowledgeRoutes(knowledge);
    RoutingRules routingRules = new RoutingRules(pool, departments, audit, clock);
    RoutingRoutes routingRoutes = new RoutingRoutes(routingRules);
    Open311Listener open311Listener = new Open311Listener();
    Credit credit = new Credit(pool, audit, clock, new CreditScore(CreditRules.from(parts.config().credit()), Credit.ZONE));
    CreditRoutes creditRoutes = new CreditRoutes(credit);
    DrawRoutes drawRoutes = new DrawRoutes(new Draws(pool, audit, credit));
    InsightSettings insightSettings = InsightSettings.from(System.getenv());
    TaskLinks taskLinks = new TaskLinks();
    // every reaction to a ticket change is a listener, run in the change's transaction
    SlaTimers slaTimers = new SlaTimers(parts.sla(), SLA_WAKE_WITHIN, parts.config().sla().extensionCapWorkingDays());
    TicketService tickets = new TicketService(pool, departments, routingRules, knowledge, audit, clock,
        parts.config().returnWindow(), parts.config().extensionCap(),
        List.of(new TicketAuditTrail(audit), slaTimers,
            new ScorecardFacts(slaTimers),
            open311Listener,
            new CreditTicketFeed(credit),
            new IntakeInsights(insightSettings, clock),
            taskLinks, new TermsListener(),
            new OutboxListener(new OutboxStore())),
        List.of(new SlaTimerAnnex(parts.sla(), clock), taskLinks), parts.config().intakeStatements(),
        parts.config().timeouts().dbAcquire());
    InsightRoutes insights = new InsightRoutes(pool, clock, insightSettings, tickets, taskLinks);
    TicketRoutes ticketRoutes = new TicketRoutes(tickets, clock);
    WorkflowRoutes workflow = new WorkflowRoutes(tickets, new RequestQueue(pool));

    Open311Routes open311 = new Open311Routes(new Open311(pool, tickets, open311Listener, audit, clock), clock);

    SlaRoutes slaRoutes = new SlaRoutes(parts.sla(), new SlaAdmin(pool, audit, parts.sla()));
    ScorecardRoutes scorecards = new ScorecardRoutes(new ScorecardService(pool, departments, audit, clock));
    SupervisionRoutes supervision = new SupervisionRoutes(pool, clock, parts.slaFeed(), STREAM_HEARTBEAT);

    WebhookRoutes webhooks = new WebhookRoutes(new Subscriptions(pool, audit, clock,
        new SafeAddress(vertx, Destinations.parse(parts.config().webhooks().allow()))));
    // the optional Standard Webhooks signature on intake, checked on the bytes received (issue 12)
    java.util.Optional<Handler<RoutingContext>> intakeSignature = parts.config().webhooks().intakeSecret()
        .map(secret -> new IntakeSignature(secret, Clock.systemUTC()));

    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    handlers.put("listWebhookSubscriptions", webhooks::list);
    handlers.put("createWebhookSubscription", webhooks::create);
    handlers.put("getWebhookSubscription", webhooks::get);
    handlers.put("updateWebhookSubscription", webhooks::update);
    handlers.put("deleteWebhookSubscription", webhooks::delete);
    handlers.put("rotateWebhookSecret", webhooks::rotate);
    handlers.put("listWebhookDeliveries", webhooks::deliveries);
    handlers.put("getWebhookDelivery", webhooks::delivery);
    handlers.put("redeliverWebhook", webhooks::redeliver);
    handlers.put("listSlaPolicies", slaRoutes::listPolicies);
    handlers.put("putSlaPolicy", slaRoutes::putPolicy);
    handlers.put("deleteSlaPolicy", slaRoutes::deletePolicy);
    handlers.put("getCalendar", slaRoutes::getCalendar);
    handlers.put("putCalendar", slaRoutes::putCalendar);
    handlers.put("getBusinessWeek", slaRoutes::getWeek);
    handlers.put("putBusinessWeek", slaRoutes::putWeek);
    handlers.put("listScorecards", scorecards::list);
    handlers.put("getDepartmentScorecard", scorecards::department);
    handlers.put("scorecardsCsv", scorecards::csv);
    handlers.put("getScorecardSettings", scorecards::getSettings);
    handlers.put("putScorecardSettings", scorecards::putSettings);
    handlers.put("listBreaches", supervision::breaches);
    handlers.put("listAtRisk", supervision::atRisk);
    handlers.put("supervisionStream", supervision::stream);
    handlers.put("listHotspots", insights::hotspots);
    handlers.put("listTopics", insights::topics);
    handlers.put("listTopicsCsv", insights::topicsCsv);
    handlers.put("listSimilarTickets", insights::similar);
    handlers.put("createProactiveTask", insights::createTask);
    handlers.put("listRoutingRules", routingRoutes::list);
    handlers.put("createRoutingRule", routingRoutes::create);
    handlers.put("updateRoutingRule", routingRoutes::update);
    handlers.put("deleteRoutingRule", routingRoutes::delete);
    handlers.put("listTicketRequests", workflow::requests);
    handlers.put("dispatchTicket", workflow::dispatch);
    handlers.put("signTicket", workflow::sign);
    handlers.put("recordContact", workflow::contact);
    handlers.put("addNote", workflow::note);
    handlers.put("requestReturn", workflow::requestReturn);
    handlers.put("decideReturn", workflow::decideReturn);
    handlers.put("requestExtension", workflow::requestExtension);
    handlers.put("decideExtension", workflow::decideExtension);
    handlers.put("requestSuspension", workflow::requestSuspension);
    handlers.put("decideSuspension", workflow::decideSuspension);
    handlers.put("resumeTicket", workflow::resume);
    handlers.put("replyTicket", workflow::reply);
    handlers.put("callbackTicket", workflow::callback);
    handlers.put("mergeTicket", workflow::merge);
    handlers.put("orderSupervision", workflow::orderSupervision);
    handlers.put("acknowledgeSupervision", workflow::acknowledgeSupervision);
    handlers.put("markUnreasonable", workflow::markUnreasonable);
    handlers.put("searchKnowledge", knowledgeRoutes::search);
    handlers.put("getKnowledgeArticle", knowledgeRoutes::get);
    handlers.put("createKnowledgeArticle", knowledgeRoutes::create);
    handlers.put("updateKnowledgeArticle", knowledgeRoutes::update);
    handlers.put("deleteKnowledgeArticle", knowledgeRoutes::delete);
    handlers.put("putDepartment", departmentRoutes::put);
    handlers.put("listAuditLog", auditRoutes::list);
    handlers.put("getAuditLogHead", auditRoutes::head);
    handlers.put("listDepartments", departmentRoutes::list);
    handlers.put("createTicket", ticketRoutes::create);
    handlers.put("getTicket", ticketRoutes::get);
    handlers.put("listTickets", ticketRoutes::list);
    handlers.put("listTicketEvents", ticketRoutes::events);
    handlers.put("open311ServicesJson", open311::services);
    handlers.put("open311ServicesXml", open311::services);
    handlers.put("open311Service", open311::service);
    handlers.put("open311PostRequestJson", open311::post);
    handlers.put("open311PostRequestXml", open311::post);
    handlers.put("open311RequestsJson", open311::requests);
    handlers.put("open311RequestsXml", open311::requests);
    handlers.put("open311Request", open311::request);
    handlers.put("open311UpdatesJson", open311::updates);
    handlers.put("open311UpdatesXml", open311::updates);
    handlers.put("listOpen311Services", open311::listServices);
    handlers.put("putOpen311Service", open311::putService);
    handlers.put("listOpen311Clients", open311::listClients);
    handlers.put("createOpen311Client", open311::createClient);
    handlers.put("revokeOpen311Client", open311::revokeClient);
    handlers.put("putEntity", creditRoutes::putEntity);
    handlers.put("listEntities", creditRoutes::listEntities);
    handlers.put("importEntities", creditRoutes::importEntities);
    handlers.put("getEntityCredit", creditRoutes::getCredit);
    handlers.put("createCreditEvent", creditRoutes::createCreditEvent);
    handlers.put("putInspector", drawRoutes::putInspector);
    handlers.put("createDraw", drawRoutes::createDraw);
    handlers.put("executeDraw", drawRoutes::executeDraw);
    handlers.put("recordInspection", drawRoutes::recordInspection);
    handlers.put("getPublicDraw", drawRoutes::publicDraw);
    handlers.put("live", health::live);
    handlers.put("ready", health::ready);
    handlers.put("metrics", metrics);
    handlers.put("openapi", ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(contractText));

    // each instance resolves its own copy: the contract loader may change the tree it is given
    return OpenAPIContract.from(vertx, parts.contract().copy()).map(contract -> {
      RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
      builder.rootHandler(new Requests());
      builder.rootHandler(BodyHandler.create(false).setBodyLimit(parts.config().bodyLimitBytes()));
      parts.guards().rootHandlers(vertx, contract).forEach(builder::rootHandler);
      builder.security("bearerAuth").httpHandler(parts.authentication().handler());
      for (OpenAPIRoute route : builder.getRoutes()) {
        Operation op = route.getOperation();
        Handler<RoutingContext> handler = handlers.get(op.getOperationId());
        if (handler == null) {
          throw new IllegalStateException("the contract names operation " + op.getOperationId()
              + " but no handler serves it");
        }
        // validation runs below, after the role check, instead of before every handler
        route.setDoValidation(false);
        if (op.getOpenAPIPath().startsWith("/open311/")) {
          // GeoReport clients read failures in GeoReport's shape, in the format the path names
          route.addFailureHandler(open311::failure);
        }
        boolean secured = !op.getSecurityRequirements().isEmpty()
            || (op.getOpenAPIModel().getValue("security") == null && !contract.getSecurityRequirements().isEmpty());
        if (secured) {
          route.addHandler(Authentication::attachActor);
          route.addHandler(ctx -> rateLimit(ctx, parts.limiter()));
          route.addHandler(requireRoles(op, audit));
        }
        if (op.getOperationId().equals("createTicket")) {
          intakeSignature.ifPresent(route::addHandler);
        }
        RequestCheck check = RequestCheck.of(contract, op);
        route.addHandler(ctx -> {
          try {
            check.check(ctx);
          } catch (Problem p) {
            ctx.fail(p);
            return;
          }
          ctx.next();
        });
        route.addHandler(ctx -> {
          try {
            handler.handle(ctx);
          } catch (Problem p) {
            ctx.fail(p);
          }
        });
      }
      Router router = builder.createRouter();
      Problems problems = new Problems();
      router.route().failureHandler(problems);
      router.errorHandler(404, problems);
      router.errorHandler(405, ctx -> {
        ctx.response().putHeader("Allow", Requests.allow(contract, ctx.request().path()));
        problems.handle(ctx);
      });
      router.errorHandler(500, problems);
      return router;
    });
  }

  /**
   * Per-client limits with the RateLimit headers on every answer; 429 with Retry-After past the limit. The
   * hotline platform (role HOTLINE) is a machine client with a budget of its own.
   */
  private static void rateLimit(RoutingContext ctx, RateLimiter limiter) {
    Actor actor = Authentication.actor(ctx);
    String policy = actor.hasAny(EnumSet.of(Role.HOTLINE)) ? RateLimiter.MACHINE : RateLimiter.DEFAULT;
    RateLimiter.Decision d = limiter.acquire(policy, actor.sub());
    limiter.putHeaders(ctx.response(), policy, d);
    if (d.allowed()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString(d.resetSeconds()));
    ctx.fail(Problem.of(429, "rate-limited", "Too many requests",
        "more than " + d.limit() + " requests per minute; retry after " + d.resetSeconds() + " s"));
  }

  /** The roles an operation allows, from its {@code x-roles} extension; refusals are audited. */
  private static Handler<RoutingContext> requireRoles(Operation op, AuditLog audit) {
    Object declared = op.getExtensions().get("x-roles");
    if (!(declared instanceof JsonArray list) || list.isEmpty()) {
      throw new IllegalStateException("secured operation " + op.getOperationId() + " declares no x-roles");
    }
    Set<Role> allowed = EnumSet.noneOf(Role.class);
    list.forEach(r -> allowed.add(Role.valueOf(String.valueOf(r))));
    return ctx -> {
      Actor actor = Authentication.actor(ctx);
      String refusal = null;
      if (!actor.hasAny(allowed)) {
        refusal = "role " + actor.roles() + " may not " + op.getOperationId();
      } else if (actor.isDepartmentStaffOnly() && actor.dept().isEmpty()) {
        refusal = "a STAFF token must carry a dept claim";
      }
      if (refusal == null) {
        ctx.next();
        return;
      }
      String detail = refusal;
      java.util.UUID ticket = ctx.request().path().startsWith("/api/v1/tickets/")
          ? org.jiesu.platform.JsonValues.uuid(ctx.pathParam("id")).orElse(null) : null;
      audit.record(actor, "ACCESS_DENIED", ticket, new JsonObject()
              .put("operation", op.getOperationId()).put("reason", detail))
          .onComplete(v -> ctx.fail(Problem.forbidden(detail)));
    };
  }
}
