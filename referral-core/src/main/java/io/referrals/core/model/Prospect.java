package io.referrals.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * The person (and company) being referred. Text fields not known are empty. This is personal data: the library never
 * writes it to logs or exception messages, and events carry only {@link #company()}.
 *
 * @param fullName the prospect's name
 * @param email the prospect's email
 * @param company the prospect's company name
 * @param companyDomain the company's web domain, for example {@code initech.com}
 * @param jobTitle free-text job title
 * @param seniority seniority level
 * @param department department, for example {@code Customer Success}
 * @param phone phone number
 * @param attributes free attributes, for example {@code crm=salesforce} or {@code employees=250}
 */
public record Prospect(String fullName, String email, String company, String companyDomain, String jobTitle,
        Seniority seniority, String department, String phone, Map<String, String> attributes) {

    public Prospect {
        fullName = Checks.text(fullName);
        email = Checks.text(email);
        company = Checks.text(company);
        companyDomain = Checks.text(companyDomain);
        jobTitle = Checks.text(jobTitle);
        seniority = seniority == null ? Seniority.UNKNOWN : seniority;
        department = Checks.text(department);
        phone = Checks.text(phone);
        attributes = Map.copyOf(Objects.requireNonNullElse(attributes, Map.of()));
    }

    /** The company, seniority and department only: never the prospect's name, email or phone. */
    @Override
    public String toString() {
        return "Prospect[company=" + company + ", seniority=" + seniority + ", department=" + department + "]";
    }

    /** A builder; every field is optional until the engine validates the capture. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Prospect}. Not thread-safe. */
    public static final class Builder {
        private String fullName;
        private String email;
        private String company;
        private String companyDomain;
        private String jobTitle;
        private Seniority seniority;
        private String department;
        private String phone;
        private Map<String, String> attributes = Map.of();

        private Builder() {
        }

        public Builder fullName(String v) {
            fullName = v;
            return this;
        }

        public Builder email(String v) {
            email = v;
            return this;
        }

        public Builder company(String v) {
            company = v;
            return this;
        }

        public Builder companyDomain(String v) {
            companyDomain = v;
            return this;
        }

        public Builder jobTitle(String v) {
            jobTitle = v;
            return this;
        }

        public Builder seniority(Seniority v) {
            seniority = v;
            return this;
        }

        public Builder department(String v) {
            department = v;
            return this;
        }

        public Builder phone(String v) {
            phone = v;
            return this;
        }

        public Builder attributes(Map<String, String> v) {
            attributes = Objects.requireNonNull(v, "attributes");
            return this;
        }

        public Prospect build() {
            return new Prospect(fullName, email, company, companyDomain, jobTitle, seniority, department, phone,
                    attributes);
        }
    }
}
