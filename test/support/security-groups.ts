import type { Template } from 'aws-cdk-lib/assertions';

// biome-ignore lint/suspicious/noExplicitAny: rule properties are read as synthesized, at any depth.
export type IngressRule = Record<string, any>;

/**
 * Every ingress rule of a template: the standalone `AWS::EC2::SecurityGroupIngress` resources and
 * the rules CDK writes inline on a security group (CIDR peers go there), so "nothing else is open"
 * sees both.
 */
export function ingressRules(template: Template): IngressRule[] {
  return [
    ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((rule) => rule.Properties),
    ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
      (group) => group.Properties.SecurityGroupIngress ?? [],
    ),
  ];
}
