package org.jiesu.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Intake bodies for tests: a valid one to start from, changed field by field. */
public final class Tickets {

  private Tickets() {}

  public static JsonObject intake(String externalId) {
    return new JsonObject()
        .put("externalId", externalId)
        .put("type", "COMPLAINT")
        .put("urgency", "NORMAL")
        .put("category", "market.agency")
        .put("title", "专利代理机构乱收费")
        .put("content", "某专利代理机构收费不透明，要求退款未果。")
        .put("receivedAt", "2026-11-20T09:30:00+08:00")
        .put("caller", new JsonObject().put("name", "张三丰").put("phone", "13812345678").put("confidential", false))
        .put("location", new JsonObject().put("district", "海淀区").put("street", "中关村街道")
            .put("address", "中关村大街1号院3号楼").put("lat", 39.98412).put("lon", 116.30741));
  }

  public static JsonObject dispatched(String externalId, String lead, String... assisting) {
    return intake(externalId).put("leadDepartment", lead).put("assistingDepartments", new JsonArray(java.util.List.of(assisting)));
  }
}
