/**
 * Rule files: {@link io.referrals.rules.file.RuleFiles} reads a rule set from JSON or YAML strictly, and refuses a
 * file with a {@link io.referrals.rules.file.RuleFileException} listing every problem with its line, column and path.
 * The only package of the module that uses Jackson.
 */
package io.referrals.rules.file;
