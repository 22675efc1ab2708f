package dev.vitrine.ops;

import java.util.Arrays;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

class OnRoleCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Role[] wanted = (Role[]) metadata.getAnnotationAttributes(ConditionalOnRole.class.getName()).get("value");
		Roles roles = Roles.from(context.getEnvironment());
		boolean match = Arrays.stream(wanted).anyMatch(roles::has);
		String message = "roles " + roles + (match ? " include " : " do not include ") + Arrays.toString(wanted);
		return match ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

}
