/**
 * The program report a marketer reads: the funnel as an inline SVG chart, the KPIs and the top advocates, written as
 * one self-contained HTML file (no scripts, stylesheets, fonts or images fetched from anywhere), plus a console
 * summary. See {@link io.referrals.examples.report.ProgramReportPage}.
 */
package io.referrals.examples.report;
