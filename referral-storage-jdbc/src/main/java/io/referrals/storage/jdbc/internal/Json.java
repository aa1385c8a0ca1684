package io.referrals.storage.jdbc.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.referrals.core.error.StorageException;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.CaptureReceipt;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON form of stored values. Records are written field by field and read back through their canonical
 * constructors; {@link Incentive} carries a {@code @kind} tag; pipelines, CRM mappings, referrals and timeline entries
 * go through small document records, which read documents written by earlier versions too. Thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = createMapper();
    private static final Map<String, Class<? extends ReferralEvent>> EVENT_TYPES = new ConcurrentHashMap<>();

    private Json() {
    }

    /** Writes a value as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot serialise a " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a value of {@code type} from JSON text. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot read a stored " + type.getSimpleName(), e);
        }
    }

    /** The stored type name of an event: its class name. */
    public static String eventType(ReferralEvent event) {
        return event.getClass().getName();
    }

    /** Reads an event of the stored type name. */
    public static ReferralEvent readEvent(String type, String json) {
        return read(json, eventClass(type));
    }

    private static Class<? extends ReferralEvent> eventClass(String type) {
        Class<? extends ReferralEvent> known = EVENT_TYPES.get(type);
        if (known != null) {
            return known;
        }
        try {
            Class<?> c = Class.forName(type, false, Json.class.getClassLoader());
            if (!ReferralEvent.class.isAssignableFrom(c) || !c.isRecord()) {
                throw new StorageException("stored event type is not a ReferralEvent record: " + type, null);
            }
            Class<? extends ReferralEvent> event = c.asSubclass(ReferralEvent.class);
            EVENT_TYPES.put(type, event);
            return event;
        } catch (ClassNotFoundException e) {
            throw new StorageException("unknown stored event type: " + type, e);
        }
    }

    /** Writes a referral (all of it; the table's other columns are copies for constraints and queries). */
    public static String writeReferral(Referral r) {
        return write(new ReferralDoc(r.id(), r.programId(), r.advocateId(), r.code(), r.prospect(), r.channel(),
                r.salesRep(), r.consent(), r.note(), r.stage(), r.outcome().orElse(null), r.dealValue().orElse(null),
                r.review(), r.submittedAt(), r.updatedAt(), r.idempotencyKey(), r.fingerprint(), r.timelineLength(),
                r.version(), r.findings(), r.prospectEmailKey(), r.prospectDomainKey(), r.captured().orElse(null)));
    }

    /** Reads a referral written by {@link #writeReferral}. */
    public static Referral readReferral(String json) {
        ReferralDoc d = read(json, ReferralDoc.class);
        return Referral.builder().id(d.id).programId(d.programId).advocateId(d.advocateId).code(d.code)
                .prospect(d.prospect).channel(d.channel).salesRep(d.salesRep).consent(d.consent).note(d.note)
                .stage(d.stage).outcome(d.outcome).dealValue(d.dealValue).review(d.review)
                .submittedAt(d.submittedAt).updatedAt(d.updatedAt).idempotencyKey(d.idempotencyKey)
                .fingerprint(d.fingerprint).timelineLength(d.timelineLength).version(d.version)
                .findings(d.findings == null ? List.of() : d.findings)
                .prospectEmailKey(d.prospectEmailKey).prospectDomainKey(d.prospectDomainKey).captured(d.captured)
                .build();
    }

    record ReferralDoc(ReferralId id, ProgramId programId, AdvocateId advocateId, String code, Prospect prospect,
            Channel channel, String salesRep, ConsentBasis consent, String note, Stage stage, Outcome outcome,
            Money dealValue, ReviewStatus review, Instant submittedAt, Instant updatedAt, String idempotencyKey,
            String fingerprint, int timelineLength, long version, List<Reason> findings, String prospectEmailKey,
            String prospectDomainKey, CaptureReceipt captured) {
        // captured: absent (null) in bodies written before capture receipts were kept, and for imports
    }

    /**
     * A reward as stored: {@link Reward}'s fields, read back by name. Bodies written before schema version 3 have no
     * {@code nextAttemptAt}: the next attempt was the end of the holding period then.
     */
    record RewardDoc(RewardId id, ProgramId programId, AdvocateId advocateId, Beneficiary beneficiary,
            RewardSource source, String ruleId, int ruleVersion, String milestone, Incentive incentive,
            RewardStatus status, Instant createdAt, Instant holdUntil, Instant nextAttemptAt, Instant updatedAt,
            List<Reason> explanation, long version) {
        Reward reward() {
            return new Reward(id, programId, advocateId, beneficiary, source, ruleId, ruleVersion, milestone,
                    incentive, status, createdAt, holdUntil, nextAttemptAt == null ? holdUntil : nextAttemptAt,
                    updatedAt, explanation == null ? List.of() : explanation, version);
        }
    }

    /** A pipeline; {@code reopenings} is absent ({@code null}) in documents written before reopenings existed. */
    record PipelineDoc(List<String> stages, Map<String, Outcome> terminal, Map<String, List<String>> transitions,
            Map<String, List<String>> reopenings) {
    }

    /**
     * A timeline entry (inside a stored {@code StageChanged}); {@code kind} is absent ({@code null}) in events written
     * before reopenings existed, which were ordinary moves.
     */
    record TimelineDoc(ReferralId referralId, int sequence, Stage from, Stage to, Instant at, TransitionCause cause,
            String reason, String externalRef, TimelineEntry.Kind kind) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Incentive.Points.class, name = "points"),
        @JsonSubTypes.Type(value = Incentive.Cash.class, name = "cash"),
        @JsonSubTypes.Type(value = Incentive.Discount.class, name = "discount"),
        @JsonSubTypes.Type(value = Incentive.Perk.class, name = "perk"),
        @JsonSubTypes.Type(value = Incentive.GiftCard.class, name = "gift_card"),
        @JsonSubTypes.Type(value = Incentive.Donation.class, name = "donation"),
        @JsonSubTypes.Type(value = Incentive.Custom.class, name = "custom")
    })
    private interface IncentiveMixin {
    }

    private static ObjectMapper createMapper() {
        SimpleModule m = new SimpleModule("referrals-jdbc");
        m.addSerializer(Instant.class, new JsonSerializer<Instant>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        m.addDeserializer(Instant.class, new JsonDeserializer<Instant>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        m.addSerializer(Currency.class, new JsonSerializer<Currency>() {
            @Override
            public void serialize(Currency v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.getCurrencyCode());
            }
        });
        m.addDeserializer(Currency.class, new JsonDeserializer<Currency>() {
            @Override
            public Currency deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Currency.getInstance(p.getValueAsString());
            }
        });
        m.addSerializer(StagePipeline.class, new JsonSerializer<StagePipeline>() {
            @Override
            public void serialize(StagePipeline v, JsonGenerator g, SerializerProvider p) throws IOException {
                List<String> stages = new ArrayList<>();
                v.stages().forEach(s -> stages.add(s.name()));
                Map<String, Outcome> terminal = new LinkedHashMap<>();
                v.terminalStages().forEach((s, o) -> terminal.put(s.name(), o));
                Map<String, List<String>> transitions = new LinkedHashMap<>();
                v.transitions().forEach((from, to) -> transitions.put(from.name(), names(to)));
                Map<String, List<String>> reopenings = new LinkedHashMap<>();
                v.reopenings().forEach((from, to) -> reopenings.put(from.name(), names(to)));
                p.defaultSerializeValue(new PipelineDoc(stages, terminal, transitions, reopenings), g);
            }
        });
        m.addDeserializer(StagePipeline.class, new JsonDeserializer<StagePipeline>() {
            @Override
            public StagePipeline deserialize(JsonParser p, DeserializationContext c) throws IOException {
                PipelineDoc d = c.readValue(p, PipelineDoc.class);
                StagePipeline.Builder b = StagePipeline.builder();
                for (String s : d.stages()) {
                    Outcome o = d.terminal().get(s);
                    if (o == null) {
                        b.stage(s);
                    } else {
                        b.terminal(s, o);
                    }
                }
                d.transitions().forEach((from, to) -> {
                    if (!to.isEmpty()) {
                        b.transition(from, to.toArray(String[]::new));
                    }
                });
                if (d.reopenings() != null) {
                    d.reopenings().forEach((from, to) -> b.reopen(from, to.toArray(String[]::new)));
                }
                return b.build();
            }
        });
        // every stored reward, in the reward table and inside stored events, is read through the document
        m.addDeserializer(Reward.class, new JsonDeserializer<Reward>() {
            @Override
            public Reward deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return c.readValue(p, RewardDoc.class).reward();
            }
        });
        m.addDeserializer(TimelineEntry.class, new JsonDeserializer<TimelineEntry>() {
            @Override
            public TimelineEntry deserialize(JsonParser p, DeserializationContext c) throws IOException {
                TimelineDoc d = c.readValue(p, TimelineDoc.class);
                return new TimelineEntry(d.referralId(), d.sequence(), d.from(), d.to(), d.at(), d.cause(), d.reason(),
                        d.externalRef(), d.kind() == null ? TimelineEntry.Kind.MOVED : d.kind());
            }
        });
        m.addSerializer(CrmStageMapping.class, new JsonSerializer<CrmStageMapping>() {
            @Override
            public void serialize(CrmStageMapping v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartObject();
                for (Map.Entry<String, Stage> e : v.entries().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue().name());
                }
                g.writeEndObject();
            }
        });
        m.addDeserializer(CrmStageMapping.class, new JsonDeserializer<CrmStageMapping>() {
            @Override
            public CrmStageMapping deserialize(JsonParser p, DeserializationContext c) throws IOException {
                Map<String, String> entries = c.readValue(p,
                        c.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
                return entries.isEmpty() ? CrmStageMapping.none() : CrmStageMapping.of(entries);
            }
        });
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(m);
        mapper.addMixIn(Incentive.class, IncentiveMixin.class);
        mapper.setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
        return mapper;
    }

    private static List<String> names(Set<Stage> stages) {
        List<String> out = new ArrayList<>(stages.size());
        stages.forEach(s -> out.add(s.name()));
        return out;
    }
}
