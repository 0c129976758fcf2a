package org.jiesu.department;

/** A handling unit: a department, district or street office, in a group it is ranked within. */
public record Department(String code, String name, String group) {}
