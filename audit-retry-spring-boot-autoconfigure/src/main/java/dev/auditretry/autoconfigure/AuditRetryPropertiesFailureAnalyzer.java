package dev.auditretry.autoconfigure;

import dev.auditretry.autoconfigure.PropertyRules.Rule;
import dev.auditretry.autoconfigure.PropertyTree.Lookup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reports an invalid property under {@code audit.retry} at startup with the property, the value as written and as
 * resolved from {@code ${...}} placeholders, where it was set, the allowed values and what to set instead.
 * <p>
 * It handles unknown property names, values that the checks of audit-retry reject and values that do not convert
 * to the property's type. It runs before Spring Boot's analyzers of the same failures, which show a value before
 * its placeholders are resolved and, for a value that does not convert, neither the allowed range nor a fix.
 * Failures of other properties are left to them.
 */
class AuditRetryPropertiesFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)");

    private final Environment environment;

    AuditRetryPropertiesFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        UnknownPropertiesException unknown = findCause(failure, UnknownPropertiesException.class);
        if (unknown != null) {
            return analyzeUnknown(unknown);
        }
        InvalidConfigurationPropertyValueException invalid = findCause(failure,
                InvalidConfigurationPropertyValueException.class);
        if (invalid != null && isAuditRetryProperty(ConfigurationPropertyName.ofIfValid(invalid.getName()))) {
            return analyzeInvalidValue(invalid);
        }
        BindException bind = findCause(failure, BindException.class);
        if (bind != null && isAuditRetryProperty(bind.getName()) && isConversionFailure(bind)) {
            return analyzeConversionFailure(bind);
        }
        return null;
    }

    private FailureAnalysis analyzeUnknown(UnknownPropertiesException unknown) {
        StringBuilder description = new StringBuilder("Unknown properties under " + PropertyTree.PREFIX + ":");
        for (String line : unknown.getDescriptions()) {
            description.append(String.format("%n%n    - ")).append(line);
        }
        return new FailureAnalysis(description.toString(), unknown.getAction(), unknown);
    }

    private FailureAnalysis analyzeInvalidValue(InvalidConfigurationPropertyValueException invalid) {
        String name = invalid.getName();
        List<SetValue> values = setValues(ConfigurationPropertyName.of(name));
        SetValue winner = values.isEmpty() ? new SetValue(null, invalid.getValue(), null) : values.get(0);

        StringBuilder description = header(name, winner);
        description.append(resolution(winner.value()));
        description.append(invalid.getReason());
        appendOtherSources(description, name, values);

        List<String> placeholders = unresolvedPlaceholders(winner.value());
        String action = placeholders.isEmpty() ? "Change the value of " + name + " as described above."
                : placeholderAction(placeholders, name, "a valid value");
        return new FailureAnalysis(description.toString(), action, invalid);
    }

    private FailureAnalysis analyzeConversionFailure(BindException bind) {
        Lookup lookup = PropertyTree.get().lookup(bind.getName(), false);
        String name = lookup.isKnown() ? lookup.canonicalName() : written(bind.getName());
        Rule rule = lookup.isKnown() ? PropertyRules.forPath(lookup.node().path()) : null;
        ResolvableType type = bind.getTarget().getType();
        List<SetValue> values = setValues(bind.getName());
        ConfigurationProperty property = bind.getProperty();
        SetValue winner = (property != null) ? new SetValue(sourceName(property.getSource()), property.getValue(),
                property.getOrigin()) : (values.isEmpty() ? new SetValue(null, null, null) : values.get(0));

        StringBuilder description = header(name, winner);
        description.append(resolution(winner.value()));
        description.append("It must be ").append(ExpectedValues.describe(type, rule, true)).append('.');
        appendOtherSources(description, name, values);

        return new FailureAnalysis(description.toString(), conversionAction(lookup, name, type, rule, winner), bind);
    }

    private String conversionAction(Lookup lookup, String name, ResolvableType type, Rule rule, SetValue value) {
        if (lookup.isKnown() && lookup.node().kind() != PropertyTree.Kind.VALUE) {
            PropertyTree.Node node = lookup.node();
            List<String> paths = (node.kind() == PropertyTree.Kind.MAP) ? node.entry().descendantPaths()
                    : node.descendantPaths();
            String prefix = (node.kind() == PropertyTree.Kind.MAP) ? "[key]" : "";
            String example = paths.isEmpty() ? prefix : (prefix.isEmpty() ? "" : prefix + ".") + paths.get(0);
            return "Remove " + name + " and set the properties below it instead, such as " + name + "." + example
                    + ".";
        }
        String expected = ExpectedValues.describe(type, rule, false);
        List<String> placeholders = unresolvedPlaceholders(value.value());
        if (!placeholders.isEmpty()) {
            return placeholderAction(placeholders, name, expected);
        }
        String ending = lookup.isKnown() ? PropertyChecks.defaultOrFollow(name) : "";
        return "Set " + name + " to " + expected + ending + ".";
    }

    private static StringBuilder header(String name, SetValue value) {
        StringBuilder header = new StringBuilder("Invalid value '").append(value.value())
                .append("' for configuration property '").append(name).append("'");
        if (value.origin() != null || value.source() != null) {
            header.append(" (set ").append(PropertyOrigins.where(value.origin(), name, value.source())).append(')');
        }
        return header.append(String.format(".%n%n"));
    }

    /**
     * Returns "It resolves to 0. " when placeholders change the raw value, and a sentence per placeholder that no
     * property source resolves.
     */
    private String resolution(Object raw) {
        StringBuilder resolution = new StringBuilder();
        Object resolved = resolve(raw);
        if (raw instanceof String && !Objects.equals(raw, resolved)) {
            String text = String.valueOf(resolved);
            resolution.append("It resolves to ").append(text.isBlank() ? "'" + text + "'" : text).append(". ");
        }
        for (String placeholder : unresolvedPlaceholders(raw)) {
            resolution.append("It contains the placeholder ${").append(placeholder)
                    .append("}, and no property named ").append(placeholder).append(" is set. ");
        }
        return resolution.toString();
    }

    private static String placeholderAction(List<String> placeholders, String name, String expected) {
        String first = placeholders.get(0);
        return "Set " + String.join(" and ", placeholders) + ", give the placeholder a default as in ${" + first
                + ":value}, or set " + name + " to " + expected + " directly.";
    }

    private List<String> unresolvedPlaceholders(Object raw) {
        Object resolved = resolve(raw);
        if (!(resolved instanceof String text)) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1).trim());
        }
        return List.copyOf(names);
    }

    private Object resolve(Object raw) {
        if (!(this.environment instanceof ConfigurableEnvironment) || raw == null) {
            return raw;
        }
        return new PropertySourcesPlaceholdersResolver(this.environment).resolvePlaceholders(raw);
    }

    private static void appendOtherSources(StringBuilder description, String name, List<SetValue> values) {
        for (SetValue other : values.subList(Math.min(1, values.size()), values.size())) {
            description.append(String.format("%n%nThe value above overrides '%s', set ", other.value()))
                    .append(PropertyOrigins.where(other.origin(), name, other.source())).append('.');
        }
    }

    /**
     * Returns the value of the property in each property source that sets it, the winning one first, found the
     * way the binder finds it, so that relaxed names such as environment variables are found too.
     */
    private List<SetValue> setValues(ConfigurationPropertyName name) {
        List<SetValue> values = new ArrayList<>();
        if (!(this.environment instanceof ConfigurableEnvironment)) {
            return values;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                values.add(new SetValue(sourceName(source), property.getValue(), property.getOrigin()));
            }
        }
        return values;
    }

    private static String sourceName(ConfigurationPropertySource source) {
        if (source == null) {
            return null;
        }
        return (source.getUnderlyingSource() instanceof PropertySource<?> propertySource) ? propertySource.getName()
                : String.valueOf(source.getUnderlyingSource());
    }

    /** Writes a name as it is written in a properties file, with a dot before a bracketed key. */
    private static String written(ConfigurationPropertyName name) {
        return name.toString().replaceAll("([^.\\[\\]])\\[(?!\\d+\\])", "$1.[");
    }

    private static boolean isAuditRetryProperty(ConfigurationPropertyName name) {
        return name != null && PropertyTree.ROOT_NAME.isAncestorOf(name);
    }

    /**
     * Returns whether a value failed to convert, possibly because of a placeholder that no property source
     * resolves, and not for a reason that another analyzer explains better, such as a failed validation.
     */
    private static boolean isConversionFailure(BindException bind) {
        return findCause(bind, ConversionException.class) != null
                || findCause(bind, IllegalArgumentException.class) != null;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        Throwable candidate = failure;
        while (candidate != null) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
            candidate = candidate.getCause();
        }
        return null;
    }

    /** A value of the property in one property source, as written there. */
    private record SetValue(String source, Object value, Origin origin) {
    }
}
