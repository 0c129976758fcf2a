package org.jiesu.routing;

import java.util.List;

/** The departments routing chose, and the rule that chose them (so a dispatch can be explained). */
public record Assignment(String leadDepartment, List<String> assistingDepartments, String ruleId) {

  public Assignment {
    assistingDepartments = List.copyOf(assistingDepartments);
  }
}
