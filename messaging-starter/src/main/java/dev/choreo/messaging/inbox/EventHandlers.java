package dev.choreo.messaging.inbox;

import dev.choreo.events.DomainEvent;
import dev.choreo.events.EventCatalog;
import dev.choreo.events.EventEnvelope;
import dev.choreo.events.EventType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link EventHandler} methods of every bean: the event types a service reacts to, and so the topics it
 * subscribes to. Checked when the bean is created: a wrong signature, a type that is not in the catalogue, or a
 * second handler for one type stops the service at start-up, not at the first event.
 */
public class EventHandlers implements BeanPostProcessor {

    /** One declared reaction. */
    record Handler(String name, EventType type, Object bean, Method method) {

        void handle(EventEnvelope<DomainEvent> envelope) {
            try {
                method.invoke(bean, envelope, envelope.payload());
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return name + " (" + type.name() + " v" + type.schemaVersion() + ")";
        }
    }

    private final Map<String, Handler> byEventType = new LinkedHashMap<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, EventHandler> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<EventHandler>) m ->
                        AnnotatedElementUtils.findMergedAnnotation(m, EventHandler.class));
        methods.forEach((method, annotation) -> register(bean, beanName, method, annotation));
        return bean;
    }

    private synchronized void register(Object bean, String beanName, Method method, EventHandler annotation) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length != 2 || parameters[0] != EventEnvelope.class
                || !DomainEvent.class.isAssignableFrom(parameters[1])) {
            throw new IllegalStateException("@EventHandler " + beanName + "." + method.getName()
                    + " must take (EventEnvelope<?> envelope, <an event of the catalogue> event)");
        }
        EventType type = EventCatalog.typeOf(parameters[1]);
        if (byName(annotation.value()) != null) {
            throw new IllegalStateException("two @EventHandler methods are named '" + annotation.value() + "'");
        }
        Handler previous = byEventType.get(type.name());
        if (previous != null) {
            throw new IllegalStateException("two @EventHandler methods react to " + type.name() + ": "
                    + previous.name() + " and " + annotation.value() + "; one reaction per event type");
        }
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        byEventType.put(type.name(), new Handler(annotation.value(), type, bean, invocable));
    }

    private Handler byName(String name) {
        return byEventType.values().stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }

    /** The handler of an event type, or {@code null} when the service does not react to it. */
    Handler forType(String eventType) {
        return byEventType.get(eventType);
    }

    Collection<Handler> all() {
        return byEventType.values();
    }

    /** The topics that carry the declared event types. */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        byEventType.values().forEach(h -> topics.add(h.type().topic()));
        return topics;
    }
}
